namespace OrleansFleet.Simulator;

/// <summary>Scenarios the simulator can play on a share of the fleet, on top of normal traffic.</summary>
[Flags]
public enum Scenario
{
    /// <summary>Normal traffic only.</summary>
    None = 0,

    /// <summary>Some devices overheat, then report a shutdown; readings after the shutdown must raise nothing.</summary>
    OverheatShutdown = 1,

    /// <summary>Some devices flap around the 90 threshold; hysteresis must keep it to one alarm per episode.</summary>
    Flapping = 2,

    /// <summary>Some devices report a few times, then fall silent; they should go offline.</summary>
    Silent = 4,
}
