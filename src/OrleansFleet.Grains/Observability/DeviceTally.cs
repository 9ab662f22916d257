using OrleansFleet.Grains.State;

namespace OrleansFleet.Grains.Observability;

/// <summary>
/// A device's running totals as last reported to <see cref="DeviceMetrics"/>: the grain reports the difference to the
/// state's own counters after each unit of work, so nothing is counted per event and the domain needs no hooks.
/// </summary>
internal struct DeviceTally
{
    public long Applied;
    public long Duplicates;
    public long Gaps;
    public long Late;
    public long Raised;
    public int Open;

    /// <summary>The totals <paramref name="state"/> holds now.</summary>
    public static DeviceTally Of(DeviceState state) => new()
    {
        Applied = state.Applied,
        Duplicates = state.Duplicates,
        Gaps = state.Gaps,
        Late = state.Late,
        // Alarm ids are numbered from the state's counter, so it counts every alarm ever raised.
        Raised = state.NextAlarmNumber,
        Open = state.OpenAlarms.Count,
    };
}
