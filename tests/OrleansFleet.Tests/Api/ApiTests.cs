using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>Every endpoint as the README shows it, through the real host.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateValidatedClient();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Now(int secondsAgo = 0) => DateTimeOffset.UtcNow.AddSeconds(-secondsAgo).ToString("O");

    private async Task<HttpResponseMessage> PostAsync(string json) => await _client.PostAsync("/api/telemetry", Json(json));

    [Fact]
    public async Task Ingest_then_read_the_device_its_alarms_acknowledge_and_see_the_fleet()
    {
        // "--" sorts before every other id, so this device is on the first page of fleet-wide lists.
        var id = $"--chiller-{Guid.NewGuid():N}";
        // The collection's tests run one at a time and its host holds gaps and waits for silence for minutes, so
        // the fleet summary changes only by this test's device while it runs.
        var before = await _client.GetFromJsonAsync<JsonElement>("/api/fleet/summary");
        var response = await PostAsync($$$"""
            [{"deviceId":"{{{id}}}","seq":1,"timestamp":"{{{Now(3)}}}","metrics":{"temperature":71.5},"status":"running"},
             {"deviceId":"{{{id}}}","seq":3,"timestamp":"{{{Now(1)}}}","metrics":{"temperature":112}},
             {"deviceId":"{{{id}}}","seq":2,"timestamp":"{{{Now(2)}}}","metrics":{"temperature":104}}]
            """);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());

        var device = await Eventually.DeviceAsync(_client, id, d => d.LastSeq == 3);
        Assert.Equal((DeviceStatus.Running, 3L, 112.0, new DeviceCounters(3, 0, 0)), (device!.Status, device.LastSeq, device.Metrics["temperature"], device.Counters));
        var alarm = Assert.Single(device.ActiveAlarms);
        Assert.Equal(("temperature-high", AlarmSeverity.Critical, 2L, 112.0), (alarm.RuleId, alarm.Severity, alarm.RaisedBySeq!.Value, alarm.Value!.Value));

        var ack = await _client.PostAsync($"/api/devices/{id}/alarms/{alarm.Id}/ack", null);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Equal(AlarmState.Acknowledged, (await ack.Content.ReadFromJsonAsync<Alarm>(ApiFactory.Json))!.State);

        var fleet = await _client.GetFromJsonAsync<JsonElement>("/api/alarms?state=active&severity=critical&limit=1000");
        Assert.Contains(fleet.GetProperty("items").EnumerateArray(), a => a.GetProperty("deviceId").GetString() == id && a.GetProperty("state").GetString() == "acknowledged");

        await PostAsync($$$"""[{"deviceId":"{{{id}}}","seq":4,"timestamp":"{{{Now()}}}","status":"shutdown"}]""");
        await Eventually.DeviceAsync(_client, id, d => d.LastSeq == 4);
        var alarms = await _client.GetFromJsonAsync<Alarm[]>($"/api/devices/{id}/alarms?state=all", ApiFactory.Json);
        var cleared = Assert.Single(alarms!);
        Assert.Equal((AlarmState.Cleared, "shutdown"), (cleared.State, cleared.ClearReason!));
        Assert.Empty((await _client.GetFromJsonAsync<Alarm[]>($"/api/devices/{id}/alarms", ApiFactory.Json))!);

        var conflict = await _client.PostAsync($"/api/devices/{id}/alarms/{alarm.Id}/ack", null);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync($"/api/devices/{id}/alarms/a99/ack", null)).StatusCode);

        // This device, in the read model: one more device, shut down, with its alarm no longer open. The read model is
        // fed from device checkpoints (Fleet:Checkpoint:Interval), so it shows the shutdown a moment after the device.
        (int, int, int, int, int) Change(JsonElement summary)
        {
            int Of(Func<JsonElement, int> read) => read(summary) - read(before);
            return (Of(s => s.GetProperty("devices").GetInt32()),
                Of(s => s.GetProperty("devicesByStatus").GetProperty("shutdown").GetInt32()),
                Of(s => s.GetProperty("devicesByStatus").GetProperty("running").GetInt32()),
                Of(s => s.GetProperty("activeAlarms").GetInt32()),
                Of(s => s.GetProperty("activeAlarmsBySeverity").GetProperty("critical").GetInt32()));
        }

        var summary = await Eventually.Async(
            () => _client.GetFromJsonAsync<JsonElement>("/api/fleet/summary"),
            s => Change(s) == (1, 1, 0, 0, 0),
            because: "the device's checkpoint should reach the fleet read model");
        Assert.Equal((1, 1, 0, 0, 0), Change(summary));
    }

    [Fact]
    public async Task Rules_put_and_get_round_trip_and_take_effect()
    {
        var id = $"meter-{Guid.NewGuid():N}";
        var put = await _client.PutAsync($"/api/devices/{id}/rules", Json("""
            [{"id":"power-high","metric":"power","comparison":"above","threshold":50,"clearThreshold":45,"severity":"warning","holdTime":"00:00:00"},
             {"id":"temperature-high","metric":"temperature","threshold":90,"enabled":false}]
            """));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var rules = await _client.GetFromJsonAsync<DeviceRules>($"/api/devices/{id}/rules", ApiFactory.Json);
        Assert.Equal(2, rules!.Overrides.Count);
        Assert.Contains(rules.Effective, r => r.Id == "power-high");
        Assert.DoesNotContain(rules.Effective, r => r.Id == "temperature-high");

        await PostAsync($$$"""[{"deviceId":"{{{id}}}","seq":1,"timestamp":"{{{Now()}}}","metrics":{"power":55,"temperature":120}}]""");
        var device = await Eventually.DeviceAsync(_client, id, d => d.LastSeq == 1);
        Assert.Equal("power-high", Assert.Single(device!.ActiveAlarms).RuleId);
    }

    [Fact]
    public async Task An_unknown_device_is_404_with_a_problem_body()
    {
        var response = await _client.GetAsync($"/api/devices/never-{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/devices/never-{Guid.NewGuid():N}/alarms")).StatusCode);
    }

    [Fact]
    public async Task Health_openapi_and_dashboard_answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);
        Assert.Equal("Healthy", await _client.GetStringAsync("/health/ready"));
        var openApi = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/telemetry", out _));
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/devices/{deviceId}/alarms/{alarmId}/ack", out _));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task Fleet_alarms_page_with_a_continuation_token()
    {
        var prefix = $"--page-{Guid.NewGuid():N}";
        var events = string.Join(",", Enumerable.Range(0, 5).Select(i => $$$"""{"deviceId":"{{{prefix}}}-{{{i}}}","seq":1,"timestamp":"{{{Now()}}}","metrics":{"temperature":99}}"""));
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync($"[{events}]")).StatusCode);
        foreach (var i in Enumerable.Range(0, 5))
        {
            await Eventually.DeviceAsync(_client, $"{prefix}-{i}", d => d.ActiveAlarms.Count == 1);
        }

        // The fleet read model is fed from the devices' checkpoints, a moment after they applied.
        await Eventually.Async(
            async () => (await _client.GetFromJsonAsync<JsonElement>("/api/alarms?limit=1000")).GetProperty("items").EnumerateArray()
                .Count(a => a.GetProperty("deviceId").GetString()!.StartsWith(prefix, StringComparison.Ordinal)),
            count => count == 5,
            because: "the read model has every device's alarm");

        var seen = new List<string>();
        string? token = null;
        for (var page = 0; page < 1_000; page++)
        {
            var url = "/api/alarms?limit=2" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
            var body = await _client.GetFromJsonAsync<JsonElement>(url);
            var devices = body.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("deviceId").GetString()!).ToList();
            seen.AddRange(devices.Where(d => d.StartsWith(prefix, StringComparison.Ordinal)));
            var next = body.GetProperty("continuationToken");
            if (next.ValueKind == JsonValueKind.Null || devices.Any(d => string.CompareOrdinal(d, prefix) > 0 && !d.StartsWith(prefix, StringComparison.Ordinal)))
            {
                break;
            }

            token = next.GetString();
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}"), seen);
    }
}
