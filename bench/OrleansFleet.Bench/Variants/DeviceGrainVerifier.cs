using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// Reads every device grain's final state after a grain variant's run (untimed) and checks it against what the
/// workload sent: events applied, last seq, nothing held, the alarms each device's role must raise. Shared by the
/// direct-call and stream variants, so both are judged by the same rules.
/// </summary>
public static class DeviceGrainVerifier
{
    /// <summary>Checks every device of <paramref name="workload"/>; <paramref name="outcome"/> supplies the variant's own counts.</summary>
    public static async Task<RunOutcome> VerifyAsync(Workload workload, IDeviceGrain[] grains, RunOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(outcome);
        long applied = 0, held = 0;
        int mismatches = 0, alarms = 0;
        var historyLimit = BenchFleet.Options().AlarmHistoryLimit;
        await Parallel.ForEachAsync(Enumerable.Range(0, grains.Length), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (d, _) =>
        {
            var sent = workload.Source.LastSeq(d);
            var view = await grains[d].GetViewAsync();
            if (view is null)
            {
                if (sent > 0)
                {
                    Interlocked.Increment(ref mismatches);
                }

                return;
            }

            Interlocked.Add(ref applied, view.Counters.Applied);
            Interlocked.Add(ref held, view.Pending);
            if (view.LastSeq != sent || view.Counters.Gaps > 0)
            {
                Interlocked.Increment(ref mismatches);
            }

            var all = await grains[d].GetAlarmsAsync(includeCleared: true) ?? [];
            var open = view.ActiveAlarms.Count(a => a.RuleId == "temperature-high");
            var visible = all.Count(a => a.RuleId == "temperature-high");
            if (!Simulator.DeviceScript.AlarmsMatch(workload.Plan.Role(d), sent, open, visible, historyLimit))
            {
                Interlocked.Increment(ref alarms);
            }
        });

        return outcome with { Applied = applied, LastSeqMismatches = mismatches, Held = held, AlarmMismatches = alarms };
    }
}
