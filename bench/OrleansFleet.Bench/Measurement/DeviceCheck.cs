namespace OrleansFleet.Bench.Measurement;

/// <summary>
/// What one device ended a run with, as far as the checks need it. Every row reports its devices in this shape (the
/// pools' models, the raw-Orleans and Akka.Persistence actors, the product's grain views), so one rule judges all.
/// </summary>
[GenerateSerializer, Immutable, Alias("bench.DeviceCheck")]
public sealed record class DeviceCheck(
    [property: Id(0)] long Applied,
    [property: Id(1)] long LastSeq,
    [property: Id(2)] long Pending,
    [property: Id(3)] long Duplicates,
    [property: Id(4)] long Gaps,
    [property: Id(5)] int OpenHighAlarms,
    [property: Id(6)] int VisibleHighAlarms)
{
    /// <summary>The rule every device is held to: <c>temperature-high</c>, the one the scripted roles raise.</summary>
    public const string CheckedRule = "temperature-high";

    /// <summary>
    /// Judges every device of <paramref name="workload"/> (null: the device was never heard of) against what was sent:
    /// <paramref name="sentThrough"/> says how far into the workload the row got (the warm-up only, or everything).
    /// </summary>
    public static RunOutcome Judge(Workload workload, IReadOnlyList<DeviceCheck?> devices, EventRange sentThrough, RunOutcome counts)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(counts);
        var sent = SentPerDevice(workload, sentThrough);
        var historyLimit = BenchFleet.Options().AlarmHistoryLimit;
        long applied = 0, held = 0, duplicates = 0, gaps = 0;
        int mismatches = 0, alarms = 0;
        for (var d = 0; d < devices.Count; d++)
        {
            if (devices[d] is not { } device)
            {
                mismatches += sent[d] > 0 ? 1 : 0;
                continue;
            }

            applied += device.Applied;
            held += device.Pending;
            duplicates += device.Duplicates;
            gaps += device.Gaps;
            if (device.LastSeq != sent[d] || device.Gaps > 0)
            {
                mismatches++;
            }

            if (!Simulator.DeviceScript.AlarmsMatch(workload.Plan.Role(d), sent[d], device.OpenHighAlarms, device.VisibleHighAlarms, historyLimit))
            {
                alarms++;
            }
        }

        return counts with { Applied = applied, LastSeqMismatches = mismatches, Held = held, Dropped = (duplicates, gaps), AlarmMismatches = alarms };
    }

    /// <summary>
    /// Reads every device's check with <paramref name="read"/> (64 at a time; null: never heard of) and judges them,
    /// see <see cref="Judge"/>.
    /// </summary>
    public static async Task<RunOutcome> CollectAsync(Workload workload, Func<int, Task<DeviceCheck?>> read, EventRange sentThrough, RunOutcome counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var checks = new DeviceCheck?[workload.Plan.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, checks.Length), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (d, _) => checks[d] = await read(d));
        return Judge(workload, checks, sentThrough, counts);
    }

    /// <summary>The last seq each device was sent when the row has sent everything up to <paramref name="range"/>'s end.</summary>
    public static long[] SentPerDevice(Workload workload, EventRange range)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var sent = new long[workload.Plan.Count];
        // Warm-up first, then the measured part: the seq a device was last sent is its highest seq in [0, End).
        for (var i = 0; i < range.End; i++)
        {
            sent[workload.DeviceOf[i]] = Math.Max(sent[workload.DeviceOf[i]], workload.Events[i].Seq ?? 0);
        }

        return sent;
    }
}
