namespace OrleansFleet.Simulator;

/// <summary>
/// Which devices exist, what they are called and which role each plays. Every twentieth device plays each selected
/// scenario (device 1, 21, 41, … overheat; 2, 22, … flap; 3, 23, … fall silent); the rest, and device 0 (the hot one
/// in the Zipf shape), are normal.
/// </summary>
public sealed class FleetPlan
{
    private readonly string[] _ids;
    private readonly DeviceRole[] _roles;

    /// <summary>Plans <paramref name="devices"/> devices named <c>{prefix}-00000</c> and up.</summary>
    public FleetPlan(string prefix, int devices, Scenario scenarios)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        _ids = new string[devices];
        _roles = new DeviceRole[devices];
        for (var d = 0; d < devices; d++)
        {
            _ids[d] = $"{prefix}-{d:D5}";
            _roles[d] = (d % 20) switch
            {
                1 when scenarios.HasFlag(Scenario.OverheatShutdown) => DeviceRole.OverheatThenShutdown,
                2 when scenarios.HasFlag(Scenario.Flapping) => DeviceRole.Flapping,
                3 when scenarios.HasFlag(Scenario.Silent) => DeviceRole.Silent,
                _ => DeviceRole.Normal,
            };
        }
    }

    /// <summary>How many devices.</summary>
    public int Count => _ids.Length;

    /// <summary>The id of device <paramref name="device"/>.</summary>
    public string Id(int device) => _ids[device];

    /// <summary>The role of device <paramref name="device"/>.</summary>
    public DeviceRole Role(int device) => _roles[device];
}
