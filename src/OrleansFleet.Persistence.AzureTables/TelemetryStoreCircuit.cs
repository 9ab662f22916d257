using Polly.CircuitBreaker;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// The state of the circuit breaker around telemetry history writes, for health checks and dashboards. The breaker
/// itself lives in the resilience pipeline; Polly reports its state through the <see cref="CircuitBreakerStateProvider"/>
/// attached here.
/// </summary>
public sealed class TelemetryStoreCircuit
{
    private long _breakEndsAt;

    internal CircuitBreakerStateProvider StateProvider { get; } = new();

    /// <summary>
    /// The breaker's current state as Polly reports it: <see cref="CircuitState.Open"/> means writes fail fast. Polly
    /// moves to half-open only when a write arrives after the break, so it reports Open until then; see
    /// <see cref="BreakElapsed"/>.
    /// </summary>
    public CircuitState State => StateProvider.CircuitState;

    /// <summary>
    /// Whether the last break has run its course: the next write will be let through as the trial. A readiness check
    /// must not stay red on Polly's lingering Open then, or no traffic would ever come to make that trial.
    /// </summary>
    public bool BreakElapsed => Environment.TickCount64 >= Interlocked.Read(ref _breakEndsAt);

    internal void Opened(TimeSpan breakDuration) =>
        Interlocked.Exchange(ref _breakEndsAt, Environment.TickCount64 + (long)breakDuration.TotalMilliseconds);
}
