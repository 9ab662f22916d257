namespace OrleansFleet.Bench.Measurement;

/// <summary>What a variant did to the devices in one run, checked against what the workload sent.</summary>
public sealed record RunOutcome
{
    /// <summary>Events applied to device state (counted by the devices themselves).</summary>
    public long Applied { get; init; }

    /// <summary>Events handed to a device's domain code with a lower seq than one already handed to it.</summary>
    public long OrderViolations { get; init; }

    /// <summary>How <see cref="OrderViolations"/> was counted for this variant.</summary>
    public string OrderMethod { get; init; } = "apply hook";

    /// <summary>Devices whose final lastSeq differs from the last seq sent, or that applied past a gap.</summary>
    public int LastSeqMismatches { get; init; }

    /// <summary>Events dropped as duplicates, and gaps applied past (both expected 0: nothing is sent twice or lost).</summary>
    public (long Duplicates, long Gaps) Dropped { get; init; }

    /// <summary>Events still held in a reorder buffer at the end.</summary>
    public long Held { get; init; }

    /// <summary>Devices whose temperature alarms differ from what their role must raise.</summary>
    public int AlarmMismatches { get; init; }

    /// <summary>Grain calls, actor messages or requests that carried the events, when batched (for the average batch size).</summary>
    public long Dispatches { get; init; }

    /// <summary>Errors seen (failed calls or requests).</summary>
    public long Errors { get; init; }

    /// <summary>Whether every event was applied once, in order per device, with the right alarms.</summary>
    public bool Correct(int events) => Applied == events && LastSeqMismatches == 0 && Held == 0 && AlarmMismatches == 0 && Errors == 0;
}
