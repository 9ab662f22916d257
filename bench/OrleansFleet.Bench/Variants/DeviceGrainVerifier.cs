using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// Reads every OrleansFleet device grain's final state after a run (untimed) through <c>IDeviceGrain</c>'s queries
/// and judges it by the rule every row is held to (<see cref="DeviceCheck.Judge"/>). Shared by the direct-call and
/// stream variants: the one place the bench reads product grains back.
/// </summary>
public static class DeviceGrainVerifier
{
    /// <summary>Checks every device of <paramref name="workload"/>; <paramref name="counts"/> supplies the variant's own counts.</summary>
    public static async Task<RunOutcome> VerifyAsync(Workload workload, IGrainFactory grains, EventRange sent, RunOutcome counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(grains);
        var checks = new DeviceCheck?[workload.Plan.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, checks.Length), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (d, _) =>
        {
            var grain = grains.GetGrain<IDeviceGrain>(workload.Plan.Id(d));
            if (await grain.GetViewAsync() is not { } view)
            {
                return;
            }

            var all = await grain.GetAlarmsAsync(includeCleared: true) ?? [];
            checks[d] = new DeviceCheck(view.Counters.Applied, view.LastSeq, view.Pending, view.Counters.Duplicates, view.Counters.Gaps,
                view.ActiveAlarms.Count(a => a.RuleId == DeviceCheck.CheckedRule), all.Count(a => a.RuleId == DeviceCheck.CheckedRule));
        });

        return DeviceCheck.Judge(workload, checks, sent, counts);
    }
}
