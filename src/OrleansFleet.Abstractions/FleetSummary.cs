namespace OrleansFleet;

/// <summary>The fleet at a glance, from the read model.</summary>
[GenerateSerializer, Immutable, Alias("fleet.FleetSummary")]
public sealed record class FleetSummary
{
    /// <summary>Devices that have reported at least once.</summary>
    [Id(0)] public int Devices { get; init; }

    /// <summary>Devices by last reported status.</summary>
    [Id(1)] public required IReadOnlyDictionary<DeviceStatus, int> DevicesByStatus { get; init; }

    /// <summary>Devices currently offline.</summary>
    [Id(2)] public int Offline { get; init; }

    /// <summary>Open alarms by severity.</summary>
    [Id(3)] public required IReadOnlyDictionary<AlarmSeverity, int> ActiveAlarmsBySeverity { get; init; }

    /// <summary>Adds two partial summaries (one per index shard).</summary>
    public static FleetSummary Combine(FleetSummary a, FleetSummary b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new FleetSummary
        {
            Devices = a.Devices + b.Devices,
            Offline = a.Offline + b.Offline,
            DevicesByStatus = Sum(a.DevicesByStatus, b.DevicesByStatus),
            ActiveAlarmsBySeverity = Sum(a.ActiveAlarmsBySeverity, b.ActiveAlarmsBySeverity),
        };
    }

    /// <summary>An empty fleet.</summary>
    public static FleetSummary Empty { get; } = new()
    {
        DevicesByStatus = new Dictionary<DeviceStatus, int>(),
        ActiveAlarmsBySeverity = new Dictionary<AlarmSeverity, int>(),
    };

    private static Dictionary<TKey, int> Sum<TKey>(IReadOnlyDictionary<TKey, int> a, IReadOnlyDictionary<TKey, int> b)
        where TKey : notnull
    {
        var sum = new Dictionary<TKey, int>(a);
        foreach (var (key, count) in b)
        {
            sum[key] = sum.GetValueOrDefault(key) + count;
        }

        return sum;
    }
}
