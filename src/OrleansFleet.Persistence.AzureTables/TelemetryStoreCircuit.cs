using Polly.CircuitBreaker;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// The state of the circuit breaker around telemetry history writes, for health checks and dashboards. The breaker
/// itself lives in the resilience pipeline; Polly reports its state through the <see cref="CircuitBreakerStateProvider"/>
/// attached here.
/// </summary>
public sealed class TelemetryStoreCircuit
{
    internal CircuitBreakerStateProvider StateProvider { get; } = new();

    /// <summary>The breaker's current state: <see cref="CircuitState.Open"/> means writes fail fast.</summary>
    public CircuitState State => StateProvider.CircuitState;
}
