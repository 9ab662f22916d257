using System.Diagnostics.Metrics;

namespace OrleansFleet.Hosting.Ingestion;

/// <summary>
/// The ingest point's instruments, on the meter <c>OrleansFleet</c>. Created through <see cref="IMeterFactory"/> so each host (and
/// each test host) has its own instruments that a <c>MeterListener</c> or OpenTelemetry can observe.
/// </summary>
public sealed class IngestMetrics
{
    public const string MeterName = "OrleansFleet";

    private readonly Counter<long> _received;
    private readonly Counter<long> _refused;

    public IngestMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _received = meter.CreateCounter<long>("fleet.ingest.events", "{event}", "Valid events received at this silo's ingest point (POST /api/telemetry).");
        _refused = meter.CreateCounter<long>("fleet.ingest.refused", "{event}", "Events refused by the per-device ingest limit (answered 429).");
    }

    public void Received(int events) => _received.Add(events);

    public void Refused(int events) => _refused.Add(events);
}
