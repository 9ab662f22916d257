using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary><c>GET /api/devices/{id}/telemetry</c> through the real host in its embedded (memory) mode.</summary>
[Collection(ApiCollection.Name)]
public sealed class DeviceTelemetryApiTests(ApiFactory factory)
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddHours(-1);
    private readonly HttpClient _client = factory.CreateValidatedClient();

    private static string At(int seconds) => T0.AddSeconds(seconds).ToString("O");

    private async Task<string> DeviceWithFiveReadingsAsync()
    {
        var id = $"history-{Guid.NewGuid():N}";
        var events = string.Join(",", Enumerable.Range(1, 5).Select(seq =>
            $$$"""{"deviceId":"{{{id}}}","seq":{{{seq}}},"timestamp":"{{{At(seq)}}}","metrics":{"temperature":{{{20 + seq}}}}}"""));
        var posted = await _client.PostAsync("/api/telemetry", new StringContent($"[{events}]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        // A 202 means the stream took the events; the history has them once the device checkpointed them.
        await Eventually.DeviceAsync(_client, id, d => d.LastSeq == 5);
        await Eventually.Async(
            async () => Seqs(await _client.GetFromJsonAsync<JsonElement>($"/api/devices/{id}/telemetry")).Length,
            count => count == 5,
            because: "the checkpoint writes the history");
        return id;
    }

    private static long[] Seqs(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("seq").GetInt64())];

    [Fact]
    public async Task History_is_newest_first_and_pages_with_the_continuation_token_until_it_is_null()
    {
        var id = await DeviceWithFiveReadingsAsync();

        var all = await _client.GetFromJsonAsync<JsonElement>($"/api/devices/{id}/telemetry");
        Assert.Equal([5L, 4L, 3L, 2L, 1L], Seqs(all));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("continuationToken").ValueKind);
        var newest = all.GetProperty("items")[0];
        Assert.Equal((25.0, id), (newest.GetProperty("metrics").GetProperty("temperature").GetDouble(), newest.GetProperty("deviceId").GetString()));

        List<long> paged = [];
        string? token = null;
        var pages = 0;
        do
        {
            var query = $"/api/devices/{id}/telemetry?limit=2" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
            var page = await _client.GetFromJsonAsync<JsonElement>(query);
            paged.AddRange(Seqs(page));
            token = page.GetProperty("continuationToken").GetString();
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal([5L, 4L, 3L, 2L, 1L], paged);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task From_and_to_are_inclusive_and_a_range_without_readings_is_an_empty_page()
    {
        var id = await DeviceWithFiveReadingsAsync();

        var range = await _client.GetFromJsonAsync<JsonElement>($"/api/devices/{id}/telemetry?from={Uri.EscapeDataString(At(2))}&to={Uri.EscapeDataString(At(4))}");
        Assert.Equal([4L, 3L, 2L], Seqs(range));

        // A device that reported, asked about a time it did not: an empty page, not the 404 of an unknown device.
        var none = await _client.GetFromJsonAsync<JsonElement>($"/api/devices/{id}/telemetry?to={Uri.EscapeDataString(At(0))}");
        Assert.Empty(Seqs(none));
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45T00:00:00Z", "to")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("continuationToken=not-a-token", "continuationToken")]
    [InlineData("from=2026-11-22T11:00:00Z&to=2026-11-22T10:00:00Z", "from")]
    public async Task A_bad_query_is_a_problem_naming_the_field(string query, string field)
    {
        var response = await _client.GetAsync($"/api/devices/some-device/telemetry?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
    }

    [Fact]
    public async Task A_bad_device_id_is_a_problem_naming_the_field()
    {
        var response = await _client.GetAsync("/api/devices/bad%20id/telemetry");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("deviceId", out _));
    }
}
