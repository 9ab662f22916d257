namespace OrleansFleet;

/// <summary>The position of an alarm in fleet-wide (deviceId, alarmId) order: a stable key for paging.</summary>
[GenerateSerializer, Immutable, Alias("fleet.AlarmPageKey")]
public sealed record class AlarmPageKey([property: Id(0)] string DeviceId, [property: Id(1)] string AlarmId)
{
    /// <summary>The key of <paramref name="alarm"/>.</summary>
    public static AlarmPageKey Of(Alarm alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return new(alarm.DeviceId, alarm.Id);
    }

    /// <summary>Fleet-wide alarm order: by device id, then by alarm number.</summary>
    public static IComparer<AlarmPageKey> Order { get; } = Comparer<AlarmPageKey>.Create(static (a, b) =>
    {
        var byDevice = string.CompareOrdinal(a.DeviceId, b.DeviceId);
        return byDevice != 0 ? byDevice : AlarmIdOrder(a.AlarmId, b.AlarmId);
    });

    // Alarm ids are "a<n>": order them by number so a10 follows a9.
    private static int AlarmIdOrder(string a, string b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
}
