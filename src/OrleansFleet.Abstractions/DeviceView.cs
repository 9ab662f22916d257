namespace OrleansFleet;

/// <summary>The live model of one device, as the API returns it.</summary>
[GenerateSerializer, Immutable, Alias("fleet.DeviceView")]
public sealed record class DeviceView
{
    /// <summary>The device.</summary>
    [Id(0)] public required string DeviceId { get; init; }

    /// <summary>The last status the device reported.</summary>
    [Id(1)] public DeviceStatus Status { get; init; }

    /// <summary>Whether the device has been silent for longer than its offline window.</summary>
    [Id(2)] public bool Offline { get; init; }

    /// <summary>The highest <c>seq</c> applied (0 before the first sequenced event).</summary>
    [Id(3)] public long LastSeq { get; init; }

    /// <summary>The device time of the last applied event.</summary>
    [Id(4)] public DateTimeOffset? LastSeen { get; init; }

    /// <summary>The latest value of each metric.</summary>
    [Id(5)] public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>The open (active or acknowledged) alarms.</summary>
    [Id(6)] public required IReadOnlyList<Alarm> ActiveAlarms { get; init; }

    /// <summary>Applied, duplicate and gap counts.</summary>
    [Id(7)] public required DeviceCounters Counters { get; init; }

    /// <summary>Events received but held back waiting for a missing <c>seq</c>.</summary>
    [Id(8)] public int Pending { get; init; }
}
