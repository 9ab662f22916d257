namespace OrleansFleet.Grains.Domain;

/// <summary>What <see cref="FleetShard.Apply"/> did with a summary.</summary>
public enum ShardChange
{
    /// <summary>Older than (or the same as) the one held: nothing changed.</summary>
    Ignored,

    /// <summary>Same version, later <see cref="DeviceSummary.LastHeardAt"/>: kept in memory only, not worth a write.</summary>
    Refreshed,

    /// <summary>A newer version: held, and written with the next write.</summary>
    Changed,
}

/// <summary>
/// One shard of the fleet read model in memory: the latest summary per device, which devices changed since the last
/// write, and the questions the fleet asks of it. No Orleans here, so it is tested without a cluster.
/// </summary>
public sealed class FleetShard
{
    private readonly Dictionary<string, DeviceSummary> _devices = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    /// <summary>A shard holding <paramref name="rows"/>, as read back from the store; none of them counts as changed.</summary>
    public FleetShard(IEnumerable<DeviceSummary> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            _devices[row.DeviceId] = row;
        }
    }

    /// <summary>Devices held.</summary>
    public int Count => _devices.Count;

    /// <summary>Takes in a device's summary if it is newer than the one held.</summary>
    public ShardChange Apply(DeviceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (_devices.TryGetValue(summary.DeviceId, out var known))
        {
            if (known.Version > summary.Version)
            {
                return ShardChange.Ignored;
            }

            if (known.Version == summary.Version)
            {
                // The same content, heard of later (the offline backstop asked the device): worth knowing, so the
                // device is not asked again before its window runs out, but not worth a write: after a reload the
                // backstop would at worst ask it once more.
                if (summary.LastHeardAt is not { } heard || heard <= known.LastHeardAt)
                {
                    return ShardChange.Ignored;
                }

                _devices[summary.DeviceId] = known with { LastHeardAt = heard };
                return ShardChange.Refreshed;
            }
        }

        _devices[summary.DeviceId] = summary;
        _changed.Add(summary.DeviceId);
        return ShardChange.Changed;
    }

    /// <summary>The latest summaries of the devices changed since the last call, which no longer count as changed.</summary>
    public List<DeviceSummary> TakeChanged()
    {
        var changed = _changed.Select(id => _devices[id]).ToList();
        _changed.Clear();
        return changed;
    }

    /// <summary>Counts devices as changed again after their write failed, so the next write carries them.</summary>
    public void Unwritten(IEnumerable<DeviceSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        _changed.UnionWith(summaries.Select(s => s.DeviceId));
    }

    /// <summary>
    /// Devices not marked offline whose last heard time is at least <paramref name="offlineAfter"/> before
    /// <paramref name="now"/>: the ones the offline backstop asks to check themselves.
    /// </summary>
    public List<string> Overdue(DateTimeOffset now, TimeSpan offlineAfter) =>
        _devices.Values
            .Where(d => !d.Offline && d.LastHeardAt is { } heard && now - heard >= offlineAfter)
            .Select(d => d.DeviceId)
            .ToList();

    /// <summary>This shard's part of the fleet summary.</summary>
    public FleetSummary Summary()
    {
        var byStatus = new Dictionary<DeviceStatus, int>();
        var bySeverity = new Dictionary<AlarmSeverity, int>();
        var offline = 0;
        foreach (var device in _devices.Values)
        {
            byStatus[device.Status] = byStatus.GetValueOrDefault(device.Status) + 1;
            offline += device.Offline ? 1 : 0;
            foreach (var alarm in device.OpenAlarms)
            {
                bySeverity[alarm.Severity] = bySeverity.GetValueOrDefault(alarm.Severity) + 1;
            }
        }

        return new FleetSummary
        {
            Devices = _devices.Count,
            DevicesByStatus = byStatus,
            Offline = offline,
            ActiveAlarmsBySeverity = bySeverity,
        };
    }

    /// <summary>Open alarms in (deviceId, alarmId) order after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    public List<Alarm> OpenAlarms(AlarmPageKey? after, int limit, AlarmSeverity? severity) =>
        _devices.Values
            .Where(d => d.OpenAlarms.Count > 0)
            .SelectMany(d => d.OpenAlarms)
            .Where(a => severity is null || a.Severity == severity)
            .Where(a => after is null || AlarmPageKey.Order.Compare(AlarmPageKey.Of(a), after) > 0)
            .OrderBy(AlarmPageKey.Of, AlarmPageKey.Order)
            .Take(limit)
            .ToList();
}
