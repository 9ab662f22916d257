namespace OrleansFleet.Grains.State;

/// <summary>
/// What a device keeps that rarely changes: the cleared-alarm history and the rule overrides. Persisted apart from
/// <see cref="DeviceState"/> and written only when it changed, so the per-event checkpoint does not carry a hundred
/// cleared alarms every time.
/// </summary>
[GenerateSerializer, Alias("fleet.DeviceColdState")]
public sealed class DeviceColdState
{
    /// <summary>Cleared alarms, oldest first, bounded.</summary>
    [Id(0)] public List<Alarm> AlarmHistory { get; set; } = [];

    /// <summary>The device's own rule overrides.</summary>
    [Id(1)] public List<AlarmRule> RuleOverrides { get; set; } = [];
}
