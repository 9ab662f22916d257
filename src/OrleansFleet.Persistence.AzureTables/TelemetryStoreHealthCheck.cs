using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// Reports the telemetry history as Unhealthy while its circuit breaker is open (writes fail fast, readings are not
/// acknowledged), Degraded once the break is over or while a trial write is under way (Degraded still counts as ready,
/// so traffic returns and makes the trial), Healthy otherwise. Register it with
/// <c>AddHealthChecks().AddCheck&lt;TelemetryStoreHealthCheck&gt;("telemetry-store")</c>.
/// </summary>
/// <param name="circuit">The breaker state of the store's write pipeline.</param>
public sealed class TelemetryStoreHealthCheck(TelemetryStoreCircuit circuit) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(circuit.State switch
        {
            CircuitState.Open when !circuit.BreakElapsed => HealthCheckResult.Unhealthy("The telemetry history circuit is open: writes fail fast until the store answers again."),
            CircuitState.Open => HealthCheckResult.Degraded("The telemetry history circuit's break is over: the next write probes the store."),
            CircuitState.Isolated => HealthCheckResult.Unhealthy("The telemetry history circuit is isolated by hand: writes are refused."),
            CircuitState.HalfOpen => HealthCheckResult.Degraded("The telemetry history circuit is half-open: a trial write is probing the store."),
            _ => HealthCheckResult.Healthy("The telemetry history accepts writes."),
        });
}
