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
    public static Task<RunOutcome> VerifyAsync(Workload workload, IGrainFactory grains, EventRange sent, RunOutcome counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(grains);
        return DeviceCheck.CollectAsync(workload, async d =>
        {
            var grain = grains.GetGrain<IDeviceGrain>(workload.Plan.Id(d));
            if (await grain.GetViewAsync() is not { } view)
            {
                return null;
            }

            var all = await grain.GetAlarmsAsync(includeCleared: true) ?? [];
            return new DeviceCheck(view.Counters.Applied, view.LastSeq, view.Pending, view.Counters.Duplicates, view.Counters.Gaps,
                view.ActiveAlarms.Count(a => a.RuleId == DeviceCheck.CheckedRule), all.Count(a => a.RuleId == DeviceCheck.CheckedRule));
        }, sent, counts, cancellationToken);
    }
}
