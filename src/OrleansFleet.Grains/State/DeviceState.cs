namespace OrleansFleet.Grains.State;

/// <summary>
/// The hot part of a device: what changes with events (last seq, latest metrics, open alarms, reorder buffer,
/// counters), written at every checkpoint. It holds the reorder buffer, because an event held waiting for a missing
/// <c>seq</c> may already be committed on the stream. What rarely changes is in <see cref="DeviceColdState"/>.
/// Ids 12 (cleared alarms) and 14 (rule overrides) belonged to fields that moved there; they stay unused.
/// </summary>
[GenerateSerializer, Alias("fleet.DeviceState")]
public sealed class DeviceState
{
    /// <summary>The last status the device reported.</summary>
    [Id(0)] public DeviceStatus Status { get; set; }

    /// <summary>Whether the device is marked offline.</summary>
    [Id(1)] public bool Offline { get; set; }

    /// <summary>The highest <c>seq</c> applied; 0 before the first.</summary>
    [Id(2)] public long LastSeq { get; set; }

    /// <summary>Device time of the last applied event.</summary>
    [Id(3)] public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Server time the last new (non-duplicate) event arrived; drives offline detection.</summary>
    [Id(4)] public DateTimeOffset? LastReceivedAt { get; set; }

    /// <summary>Latest value per metric.</summary>
    [Id(5)] public Dictionary<string, double> Metrics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Events applied.</summary>
    [Id(6)] public long Applied { get; set; }

    /// <summary>Events dropped as duplicates.</summary>
    [Id(7)] public long Duplicates { get; set; }

    /// <summary>Gaps applied past.</summary>
    [Id(8)] public long Gaps { get; set; }

    /// <summary>Events held back waiting for a missing <c>seq</c>, in <c>seq</c> order.</summary>
    [Id(9)] public List<TelemetryEvent> Pending { get; set; } = [];

    /// <summary>Server time the oldest held event arrived.</summary>
    [Id(10)] public DateTimeOffset? HeldSince { get; set; }

    /// <summary>Open alarms, at most one per rule.</summary>
    [Id(11)] public List<Alarm> OpenAlarms { get; set; } = [];

    /// <summary>Per rule with a hold time: device time the current, not yet alarmed, breach began.</summary>
    [Id(13)] public Dictionary<string, DateTimeOffset> BreachSince { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The number of the next alarm raised.</summary>
    [Id(15)] public long NextAlarmNumber { get; set; } = 1;

    /// <summary>Bumped whenever what the fleet read model shows of this device changes.</summary>
    [Id(16)] public long SummaryVersion { get; set; }

    /// <summary>Stream time (append time on the partition) of the oldest held event; null when it came outside the stream.</summary>
    [Id(17)] public DateTimeOffset? HeldSinceStream { get; set; }

    /// <summary>Gaps applied past, newest last, bounded: an event with a seq in one of them is late, not a duplicate.</summary>
    [Id(18)] public List<SeqRange> Skipped { get; set; } = [];

    /// <summary>Late events: their seq had been skipped as a gap.</summary>
    [Id(19)] public long Late { get; set; }

    /// <summary>Whether the device has ever reported.</summary>
    public bool HasReported => LastReceivedAt is not null;
}
