using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Observability;

/// <summary>A host with a per-device ingest limit configured, shared by <see cref="TrafficApiTests"/>.</summary>
public sealed class LimitedApiFactory : IDisposable
{
    public ApiFactory Factory { get; } = new(new Dictionary<string, string>
    {
        ["Fleet:Ingest:PerDeviceEventsPerSecond"] = "0.01",
        ["Fleet:Ingest:PerDeviceBurst"] = "20",
        ["Fleet:HotDevices:AlarmShare"] = "0.5",
        ["Fleet:HotDevices:AlarmMinEventsPerSecond"] = "0.1",
    });

    public void Dispose() => Factory.Dispose();
}

/// <summary>The per-device limit and the hot-device endpoint through the real host.</summary>
public sealed class TrafficApiTests(LimitedApiFactory host) : IClassFixture<LimitedApiFactory>
{
    private readonly HttpClient _client = host.Factory.CreateValidatedClient();

    private static string Events(string deviceId, int count, int firstSeq = 1) =>
        "[" + string.Join(",", Enumerable.Range(firstSeq, count).Select(seq =>
            $$$"""{"deviceId":"{{{deviceId}}}","seq":{{{seq}}},"timestamp":"{{{DateTimeOffset.UtcNow:O}}}","metrics":{"temperature":20}}""")) + "]";

    private async Task<HttpResponseMessage> PostAsync(string json) =>
        await _client.PostAsync("/api/telemetry", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_device_over_its_limit_gets_429_with_retry_after_naming_it_and_nothing_of_the_request_is_applied()
    {
        var runaway = $"runaway-{Guid.NewGuid():N}";
        var calm = $"calm-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Events(runaway, 15))).StatusCode);

        var mixed = Events(calm, 3)[..^1] + "," + Events(runaway, 10, firstSeq: 16)[1..];
        var refused = await PostAsync(mixed);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal(runaway, problem.GetProperty("deviceId").GetString());
        Assert.Contains(runaway, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The calm device's events of the refused request were not applied; its own next request passes.
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/devices/{calm}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Events(calm, 3))).StatusCode);
        var calmState = await Eventually.DeviceAsync(_client, calm, d => d.LastSeq == 3);
        // Had the refused request's three events been applied, these would have been duplicates.
        Assert.Equal(new DeviceCounters(3, 0, 0), calmState!.Counters);
        var runawayState = await Eventually.DeviceAsync(_client, runaway, d => d.LastSeq == 15);
        Assert.Equal(15, runawayState!.LastSeq);
    }

    [Fact]
    public async Task The_hot_endpoint_names_the_device_sending_most_traffic_with_rate_share_silo_and_alarm()
    {
        var hot = $"--hot-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Events(hot, 20))).StatusCode);

        var answer = await _client.GetFromJsonAsync<JsonElement>("/api/fleet/hot?top=3");
        var top = answer.GetProperty("devices")[0];
        Assert.Equal(hot, top.GetProperty("deviceId").GetString());
        Assert.True(top.GetProperty("eventsPerSecond").GetDouble() > 0);
        Assert.InRange(top.GetProperty("share").GetDouble(), 0.01, 1);
        Assert.False(string.IsNullOrEmpty(top.GetProperty("silo").GetString()));
        Assert.True(answer.GetProperty("devices").GetArrayLength() <= 3);
        Assert.Equal(1, answer.GetProperty("silosAnswered").GetInt32());
        Assert.True(answer.GetProperty("totalEventsPerSecond").GetDouble() >= top.GetProperty("eventsPerSecond").GetDouble());
        Assert.Contains(answer.GetProperty("ingestRate").EnumerateArray(), i => i.GetProperty("eventsPerSecond").GetDouble() > 0);
        var alarm = answer.GetProperty("alarm");
        Assert.Equal(0.5, alarm.GetProperty("threshold").GetDouble());
        // Another test of this class may have sent traffic too; the alarm names the top device whenever it fires.
        if (alarm.GetProperty("active").GetBoolean())
        {
            Assert.Equal(hot, alarm.GetProperty("deviceId").GetString());
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("x")]
    public async Task A_bad_top_is_a_problem_naming_the_field(string top)
    {
        var response = await _client.GetAsync($"/api/fleet/hot?top={top}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("top", out _));
    }
}
