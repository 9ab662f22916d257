using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansFleet.Streaming.EventHubs;

/// <summary>
/// Ready while the telemetry hub answers a metadata request through the API's producer (<see cref="IEventHubSender.ProbeAsync"/>):
/// if it cannot, no append can be acknowledged. Each probe is a new request, so readiness recovers on its own.
/// </summary>
/// <param name="hub">The telemetry hub's sender (keyed by the stream provider's name).</param>
/// <param name="timeout">How long a probe may take before it counts as down.</param>
public sealed class EventHubTelemetryHealthCheck(IEventHubSender hub, TimeSpan timeout) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await hub.ProbeAsync(bounded.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The telemetry hub answers");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The telemetry hub (Event Hubs) does not answer", ex);
        }
    }
}
