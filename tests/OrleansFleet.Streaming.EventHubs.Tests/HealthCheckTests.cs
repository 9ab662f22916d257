using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansFleet.Streaming.EventHubs.Tests;

/// <summary>The telemetry hub's readiness check, around a hub that goes out of reach and comes back.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task Readiness_fails_while_the_hub_does_not_answer_and_recovers_when_it_does()
    {
        var hub = new FakeEventHub("fleet-telemetry", 2);
        var check = new EventHubTelemetryHealthCheck(hub, TimeSpan.FromSeconds(5));
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("eventhubs", check, null, null) };

        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);
        hub.Unreachable = true;
        var down = await check.CheckHealthAsync(context);
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.IsType<TimeoutException>(down.Exception);
        hub.Unreachable = false;
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);
    }
}
