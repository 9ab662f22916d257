using Orleans.Concurrency;
using OrleansFleet.Grains.State;

namespace OrleansFleet.Grains;

/// <summary>
/// A shard of the fleet read model (CQRS read side): fleet queries read a handful of shards instead of every device.
/// </summary>
/// <remarks>
/// <c>[Reentrant]</c> lets updates from many devices share one storage write (group commit): each update changes the
/// in-memory map in its own turn, then waits for a write that started after its change. Orleans still runs one turn
/// at a time, so the map is never touched concurrently, and storage providers serialize the state before their first
/// await, so a write is a consistent snapshot.
/// </remarks>
[Reentrant]
public sealed class FleetIndexGrain(
    [PersistentState("fleetIndex")] IPersistentState<FleetIndexState> index) : Grain, IFleetIndexGrain
{
    private long _changes;
    private long _saved;
    private Task _saving = Task.CompletedTask;

    /// <inheritdoc />
    public async Task UpdateAsync(DeviceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var devices = index.State.Devices;
        if (devices.TryGetValue(summary.DeviceId, out var known) && known.Version >= summary.Version)
        {
            return;
        }

        devices[summary.DeviceId] = summary;
        var mine = ++_changes;
        while (_saved < mine)
        {
            if (_saving.IsCompleted)
            {
                _saving = SaveAsync();
            }

            await _saving;
        }
    }

    /// <inheritdoc />
    public Task<FleetSummary> GetSummaryAsync()
    {
        var byStatus = new Dictionary<DeviceStatus, int>();
        var bySeverity = new Dictionary<AlarmSeverity, int>();
        var offline = 0;
        foreach (var device in index.State.Devices.Values)
        {
            byStatus[device.Status] = byStatus.GetValueOrDefault(device.Status) + 1;
            offline += device.Offline ? 1 : 0;
            foreach (var alarm in device.OpenAlarms)
            {
                bySeverity[alarm.Severity] = bySeverity.GetValueOrDefault(alarm.Severity) + 1;
            }
        }

        return Task.FromResult(new FleetSummary
        {
            Devices = index.State.Devices.Count,
            DevicesByStatus = byStatus,
            Offline = offline,
            ActiveAlarmsBySeverity = bySeverity,
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Alarm>> GetOpenAlarmsAsync(AlarmPageKey? after, int limit, AlarmSeverity? severity)
    {
        IReadOnlyList<Alarm> page = index.State.Devices.Values
            .Where(d => d.OpenAlarms.Count > 0)
            .SelectMany(d => d.OpenAlarms)
            .Where(a => severity is null || a.Severity == severity)
            .Where(a => after is null || AlarmPageKey.Order.Compare(AlarmPageKey.Of(a), after) > 0)
            .OrderBy(AlarmPageKey.Of, AlarmPageKey.Order)
            .Take(limit)
            .ToList();
        return Task.FromResult(page);
    }

    private async Task SaveAsync()
    {
        var upTo = _changes;
        await index.WriteStateAsync();
        _saved = upTo;
    }
}
