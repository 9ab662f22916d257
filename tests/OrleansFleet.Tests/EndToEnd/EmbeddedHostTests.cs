using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.EndToEnd;

/// <summary>The built host as a newcomer runs it: its own process, real sockets, the README's requests.</summary>
public sealed class EmbeddedHostTests
{
    [Fact]
    public async Task The_built_host_serves_the_readme_flow_on_loopback()
    {
        await using var host = await HostProcess.StartAsync();
        using var client = host.CreateClient();
        var now = DateTimeOffset.UtcNow;
        var body = $$$"""
            [{"deviceId":"chiller-7","seq":1,"timestamp":"{{{now.AddSeconds(-2):O}}}","metrics":{"temperature":110},"status":"running"},
             {"deviceId":"chiller-7","seq":3,"timestamp":"{{{now:O}}}","metrics":{"temperature":120}},
             {"deviceId":"chiller-7","seq":2,"timestamp":"{{{now.AddSeconds(-1):O}}}","status":"shutdown"}]
            """;
        var posted = await client.PostAsync("/api/telemetry", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        await Eventually.DeviceAsync(client, "chiller-7", d => d.LastSeq == 3);
        var alarms = await client.GetFromJsonAsync<Alarm[]>("/api/devices/chiller-7/alarms?state=all", ApiFactory.Json);
        var alarm = Assert.Single(alarms!);
        Assert.Equal((AlarmState.Cleared, "shutdown", 1L), (alarm.State, alarm.ClearReason!, alarm.RaisedBySeq!.Value));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task The_hosts_own_information_logs_show_when_a_gap_expires()
    {
        // The host's own appsettings: "Orleans": "Warning" is a category prefix that also matched OrleansFleet.*.
        await using var host = await HostProcess.StartAsync("--Fleet:ReorderHoldTime", "00:00:01");
        using var client = host.CreateClient();
        var id = $"gap-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var body = $$$"""
            [{"deviceId":"{{{id}}}","seq":1,"timestamp":"{{{now.AddSeconds(-1):O}}}","metrics":{"temperature":20}},
             {"deviceId":"{{{id}}}","seq":3,"timestamp":"{{{now:O}}}","metrics":{"temperature":21}}]
            """;
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/telemetry", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode);

        await Eventually.DeviceAsync(client, id, d => d.LastSeq == 3 && d.Counters.Gaps == 1);
        await Eventually.Async(() => Task.FromResult(host.Output), o => o.Contains($"Device {id} applied held events past a gap", StringComparison.Ordinal), seconds: 10, because: "the gap expiry is logged at Information");
    }

    [Fact]
    public async Task Simulate_shows_readings_and_alarms_within_seconds()
    {
        await using var host = await HostProcess.StartAsync("--simulate", "8", "--Fleet:Simulator:Interval", "00:00:00.200");
        using var client = host.CreateClient();

        // Chillers overheat past 90 °C and then shut down, which clears the alarm: wait for one such history, and
        // for a chiller seen shut down. The simulator sends the shutdown before its last overheat reading, so a
        // ghost alert would be a temperature alarm open while the device is shut down: there must never be one.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var (sawShutdownClear, sawShutDown) = (false, false);
        var ghosts = new List<string>();
        while (!(sawShutdownClear && sawShutDown) && DateTime.UtcNow < deadline)
        {
            foreach (var chiller in new[] { "chiller-001", "chiller-005" })
            {
                var response = await client.GetAsync($"/api/devices/{chiller}/alarms?state=all");
                if (response.IsSuccessStatusCode)
                {
                    var alarms = await response.Content.ReadFromJsonAsync<Alarm[]>(ApiFactory.Json);
                    sawShutdownClear |= alarms!.Any(a => a.RuleId == "temperature-high" && a.ClearReason == "shutdown");
                }

                // One read of the device: its status and open alarms come from the same applied prefix of its events.
                var device = await client.GetAsync($"/api/devices/{chiller}");
                if (device.IsSuccessStatusCode && await device.Content.ReadFromJsonAsync<DeviceView>(ApiFactory.Json) is { Status: DeviceStatus.Shutdown } view)
                {
                    sawShutDown = true;
                    ghosts.AddRange(view.ActiveAlarms.Where(a => a.RuleId == "temperature-high").Select(a => $"{chiller}: {a}"));
                }
            }

            await Task.Delay(200);
        }

        Assert.True(sawShutdownClear && sawShutDown, $"within 60 s: alarm cleared by a shutdown {sawShutdownClear}, chiller seen shut down {sawShutDown}. Host output:\n{host.Output}");
        Assert.True(ghosts.Count == 0, $"ghost alerts (a temperature alarm open on a shut-down chiller):\n{string.Join("\n", ghosts)}");
        var summary = await client.GetFromJsonAsync<JsonElement>("/api/fleet/summary");
        Assert.Equal(8, summary.GetProperty("devices").GetInt32());
        var meter = await client.GetFromJsonAsync<DeviceView>("/api/devices/meter-002", ApiFactory.Json);
        Assert.True(meter!.Metrics.ContainsKey("power"));
    }
}
