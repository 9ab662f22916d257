using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// Counters of the telemetry history writes, on the meter <see cref="MeterName"/> (export it with OpenTelemetry's
/// <c>AddMeter</c>). Created through <see cref="IMeterFactory"/> so each service provider has its own instances.
/// </summary>
public sealed class TelemetryStoreMetrics
{
    /// <summary>The meter of every OrleansFleet instrument.</summary>
    public const string MeterName = "OrleansFleet";

    private readonly Counter<long> _writes;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _breakerOpens;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    /// <param name="circuit">The breaker whose state the <c>fleet.telemetry_store.breaker_state</c> gauge reports.</param>
    public TelemetryStoreMetrics(IMeterFactory meterFactory, TelemetryStoreCircuit circuit)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(circuit);
        Meter meter = meterFactory.Create(MeterName);
        _writes = meter.CreateCounter<long>("fleet.telemetry_store.writes", "{transaction}", "Entity-group transactions committed to the telemetry history.");
        _rows = meter.CreateCounter<long>("fleet.telemetry_store.rows", "{row}", "Readings persisted (upserted rows).");
        _failures = meter.CreateCounter<long>("fleet.telemetry_store.failures", "{transaction}", "Transactions that failed after the resilience pipeline, by reason.");
        _breakerOpens = meter.CreateCounter<long>("fleet.telemetry_store.breaker_opens", "{event}", "Times the circuit breaker opened.");
        meter.CreateObservableGauge("fleet.telemetry_store.breaker_state", () => BreakerState(circuit), "{state}",
            "The history writes' circuit breaker: 0 closed, 1 half-open (a trial write is due or under way), 2 open (writes fail fast), 3 isolated.");
    }

    internal void Committed(int rows)
    {
        _writes.Add(1);
        _rows.Add(rows);
    }

    internal void Failed(string reason) => _failures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void BreakerOpened() => _breakerOpens.Add(1);

    // Polly keeps reporting Open after the break until a write comes to make the trial; the health check counts that
    // as half-open, and so does the gauge.
    private static int BreakerState(TelemetryStoreCircuit circuit) => circuit.State switch
    {
        CircuitState.Open when circuit.BreakElapsed => 1,
        CircuitState.HalfOpen => 1,
        CircuitState.Open => 2,
        CircuitState.Isolated => 3,
        _ => 0,
    };
}
