namespace OrleansFleet;

/// <summary>
/// What the fleet read model knows of one device: enough for the fleet summary and the fleet-wide alarm list.
/// A device grain publishes it when it changes; <see cref="Version"/> lets the index ignore a stale copy.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.DeviceSummary")]
public sealed record class DeviceSummary
{
    /// <summary>The device.</summary>
    [Id(0)] public required string DeviceId { get; init; }

    /// <summary>Increases with every change the device grain publishes.</summary>
    [Id(1)] public long Version { get; init; }

    /// <summary>The last status the device reported.</summary>
    [Id(2)] public DeviceStatus Status { get; init; }

    /// <summary>Whether the device is offline.</summary>
    [Id(3)] public bool Offline { get; init; }

    /// <summary>The device's open alarms.</summary>
    [Id(4)] public required IReadOnlyList<Alarm> OpenAlarms { get; init; }

    /// <summary>
    /// Server time the device was last heard from, as of this summary; <c>null</c> in summaries from before it existed.
    /// The offline backstop finds overdue devices by it. It may lag behind the device (a change of it alone does not
    /// bump <see cref="Version"/>), which only makes the backstop ask a device early, never late.
    /// </summary>
    [Id(5)] public DateTimeOffset? LastHeardAt { get; init; }
}
