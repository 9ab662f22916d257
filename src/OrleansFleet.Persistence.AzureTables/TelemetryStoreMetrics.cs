using System.Diagnostics.Metrics;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// Counters of the telemetry history writes, on the meter <see cref="MeterName"/> (export it with OpenTelemetry's
/// <c>AddMeter</c>). Created through <see cref="IMeterFactory"/> so each service provider has its own instances.
/// </summary>
public sealed class TelemetryStoreMetrics
{
    /// <summary>The meter every storage instrument of OrleansFleet is on.</summary>
    public const string MeterName = "OrleansFleet.Storage";

    private readonly Counter<long> _writes;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _breakerOpens;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    public TelemetryStoreMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        _writes = meter.CreateCounter<long>("fleet.telemetry_store.writes", "{transaction}", "Entity-group transactions committed to the telemetry history.");
        _rows = meter.CreateCounter<long>("fleet.telemetry_store.rows", "{row}", "Readings persisted (upserted rows).");
        _failures = meter.CreateCounter<long>("fleet.telemetry_store.failures", "{transaction}", "Transactions that failed after the resilience pipeline, by reason.");
        _breakerOpens = meter.CreateCounter<long>("fleet.telemetry_store.breaker_opens", "{event}", "Times the circuit breaker opened.");
    }

    internal void Committed(int rows)
    {
        _writes.Add(1);
        _rows.Add(rows);
    }

    internal void Failed(string reason) => _failures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void BreakerOpened() => _breakerOpens.Add(1);
}
