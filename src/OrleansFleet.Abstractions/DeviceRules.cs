namespace OrleansFleet;

/// <summary>A device's alarm rules: its own overrides and the effective set (fleet defaults with overrides applied).</summary>
[GenerateSerializer, Immutable, Alias("fleet.DeviceRules")]
public sealed record class DeviceRules
{
    /// <summary>The device.</summary>
    [Id(0)] public required string DeviceId { get; init; }

    /// <summary>The device's overrides, as last set.</summary>
    [Id(1)] public required IReadOnlyList<AlarmRule> Overrides { get; init; }

    /// <summary>The rules the device is evaluated against (enabled only).</summary>
    [Id(2)] public required IReadOnlyList<AlarmRule> Effective { get; init; }
}
