using System.Diagnostics.Metrics;

namespace OrleansFleet.Grains.Telemetry;

/// <summary>
/// Instruments of the telemetry writer's group commit, on the meter <see cref="MeterName"/> (the one every OrleansFleet
/// instrument is on), so a dashboard shows flush sizes next to the store's transactions and breaker.
/// </summary>
public sealed class TelemetryWriterMetrics
{
    /// <summary>The meter of every OrleansFleet instrument.</summary>
    public const string MeterName = "OrleansFleet";

    private readonly Counter<long> _flushes;
    private readonly Counter<long> _readings;
    private readonly Histogram<int> _flushSize;
    private readonly Histogram<double> _flushDuration;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    public TelemetryWriterMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        _flushes = meter.CreateCounter<long>("fleet.telemetry_writer.flushes", "{flush}", "Flushes of the telemetry writer, by trigger (size, age) and outcome (ok, failed).");
        _readings = meter.CreateCounter<long>("fleet.telemetry_writer.readings", "{reading}", "Readings the telemetry writer made durable.");
        _flushSize = meter.CreateHistogram<int>("fleet.telemetry_writer.flush_size", "{reading}", "Readings per flush.");
        _flushDuration = meter.CreateHistogram<double>("fleet.telemetry_writer.flush_duration", "ms", "Time from the start of a flush until the store confirmed or failed it.");
    }

    internal void Flushed(string trigger, int readings, TimeSpan elapsed)
    {
        KeyValuePair<string, object?> by = new("trigger", trigger);
        _flushes.Add(1, by, new KeyValuePair<string, object?>("outcome", "ok"));
        _readings.Add(readings);
        _flushSize.Record(readings, by);
        _flushDuration.Record(elapsed.TotalMilliseconds, by);
    }

    internal void Failed(string trigger, TimeSpan elapsed)
    {
        KeyValuePair<string, object?> by = new("trigger", trigger);
        _flushes.Add(1, by, new KeyValuePair<string, object?>("outcome", "failed"));
        _flushDuration.Record(elapsed.TotalMilliseconds, by);
    }
}
