using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OrleansFleet.Grains.Observability;

/// <summary>
/// The telemetry stream's progress on this silo, on the meter <see cref="DeviceMetrics.MeterName"/>: per partition
/// consumer (tag <c>partition</c>), the entries delivered but not yet committed and the age of the oldest, the age of
/// the last completed checkpoint barrier and the devices it still has to checkpoint (observable gauges, read only when
/// a listener collects); and the ingest-to-apply latency of every delivered append (a histogram).
/// </summary>
public sealed class PartitionMetrics
{
    private readonly ConcurrentDictionary<int, PartitionProgress> _partitions = new();
    private readonly TimeProvider _time;
    private readonly Histogram<double> _ingestToApply;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    /// <param name="time">The silo's clock (the one the partition grains run on).</param>
    public PartitionMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        var meter = meterFactory.Create(DeviceMetrics.MeterName);
        _ingestToApply = meter.CreateHistogram(
            "fleet.events.ingest_to_apply",
            "s",
            "Time from an entry's append to the stream (the transport's clock) until every device in it has applied its slice.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        meter.CreateObservableGauge("fleet.stream.uncommitted", () => Observe(static (p, _) => p.Uncommitted),
            "{entry}", "Stream entries delivered to the partition's consumer and not yet committed by its barrier.");
        meter.CreateObservableGauge("fleet.stream.uncommitted_age", () => Observe(static (p, now) => Age(p.OldestUncommittedTicks, now)),
            "s", "Age (from its append) of the oldest delivered entry not yet committed; 0 when everything delivered is committed.");
        meter.CreateObservableGauge("fleet.stream.barrier_age", () => Observe(static (p, now) => Age(p.BarrierTicks, now)),
            "s", "Time since the partition's checkpoint barrier last completed (or the consumer started).");
        meter.CreateObservableGauge("fleet.stream.dirty_devices", () => Observe(static (p, _) => p.DirtyDevices),
            "{device}", "Devices fed since the last barrier, which the next barrier must checkpoint before it commits.");
    }

    /// <summary>Starts reporting a partition consumer that activated on this silo.</summary>
    internal PartitionProgress Register(int partition)
    {
        var progress = new PartitionProgress(partition, _time.GetUtcNow());
        _partitions[partition] = progress;
        return progress;
    }

    /// <summary>Stops reporting a partition consumer that deactivated (unless a newer activation took its place).</summary>
    internal void Unregister(PartitionProgress progress) =>
        _partitions.TryRemove(new KeyValuePair<int, PartitionProgress>(progress.Partition, progress));

    /// <summary>Records that every device of an append has applied it.</summary>
    internal void Applied(DateTimeOffset appendedAt)
    {
        var latency = _time.GetUtcNow() - appendedAt;
        // The append time is the transport's clock (the Redis server's, Event Hubs'): a small skew must not go negative.
        _ingestToApply.Record(latency > TimeSpan.Zero ? latency.TotalSeconds : 0);
    }

    private IEnumerable<Measurement<T>> Observe<T>(Func<PartitionProgress, long, T> value)
        where T : struct
    {
        var now = _time.GetUtcNow().UtcTicks;
        foreach (var progress in _partitions.Values)
        {
            yield return new Measurement<T>(value(progress, now), progress.Tags);
        }
    }

    private static double Age(long ticks, long now) => ticks == 0 || ticks >= now ? 0 : TimeSpan.FromTicks(now - ticks).TotalSeconds;
}
