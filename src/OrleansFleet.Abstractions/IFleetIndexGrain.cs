namespace OrleansFleet;

/// <summary>
/// One shard of the fleet read model. Device grains publish their <see cref="DeviceSummary"/> to the shard their id
/// hashes to; fleet queries read every shard (a fixed, small number) instead of every device. Key: the shard number.
/// </summary>
[Alias("fleet.IFleetIndexGrain")]
public interface IFleetIndexGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Records a device's latest summary and returns once its row is durable in the <see cref="IDeviceSummaryStore"/>.
    /// Older versions than the one held are ignored; the same version with a later last heard time only refreshes memory.
    /// </summary>
    [Alias("UpdateAsync")]
    Task UpdateAsync(DeviceSummary summary);

    /// <summary>This shard's part of the fleet summary.</summary>
    [Alias("GetSummaryAsync")]
    Task<FleetSummary> GetSummaryAsync();

    /// <summary>
    /// Open alarms in (deviceId, alarmId) order, after the <paramref name="after"/> key when given, at most
    /// <paramref name="limit"/> of them, optionally only of one severity.
    /// </summary>
    [Alias("GetOpenAlarmsAsync")]
    Task<IReadOnlyList<Alarm>> GetOpenAlarmsAsync(AlarmPageKey? after, int limit, AlarmSeverity? severity);
}
