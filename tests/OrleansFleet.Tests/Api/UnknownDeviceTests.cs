using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>
/// One rule for a device that never reported: every read about it is 404 problem+json; setting its rules is the one
/// thing that may come first, and then its rules are there to read.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class UnknownDeviceTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateValidatedClient();

    [Theory]
    [InlineData("")]
    [InlineData("/alarms")]
    [InlineData("/alarms?state=all")]
    [InlineData("/telemetry")]
    [InlineData("/telemetry?from=2026-11-22T10:00:00Z&limit=5")]
    [InlineData("/rules")]
    public async Task Every_read_about_a_device_that_never_reported_is_a_404_problem(string resource)
    {
        var id = $"never-{Guid.NewGuid():N}";
        using var response = await _client.GetAsync($"/api/devices/{id}{resource}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Unknown device.", $"Device '{id}' has never reported."), (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Rules_set_before_the_first_event_are_read_back_and_apply_to_it()
    {
        var id = $"early-rules-{Guid.NewGuid():N}";
        const string Rules = """[{"id":"temperature-high","metric":"temperature","comparison":"above","threshold":50,"severity":"warning"}]""";
        using var put = await _client.PutAsync($"/api/devices/{id}/rules", new StringContent(Rules, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var rules = await _client.GetFromJsonAsync<DeviceRules>($"/api/devices/{id}/rules", ApiFactory.Json);
        Assert.Equal(50, Assert.Single(rules!.Overrides).Threshold);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/devices/{id}")).StatusCode);

        var posted = await _client.PostAsync("/api/telemetry", new StringContent(
            $$$"""[{"deviceId":"{{{id}}}","seq":1,"timestamp":"{{{DateTimeOffset.UtcNow:O}}}","metrics":{"temperature":60}}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var device = await Eventually.DeviceAsync(_client, id, d => d.LastSeq == 1);
        var alarm = Assert.Single(device!.ActiveAlarms);
        Assert.Equal(("temperature-high", AlarmSeverity.Warning, 60.0), (alarm.RuleId, alarm.Severity, alarm.Value!.Value));
    }
}
