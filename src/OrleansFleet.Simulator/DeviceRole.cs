namespace OrleansFleet.Simulator;

/// <summary>What a simulated device does over its life; each role has a known, checkable outcome under the default rules.</summary>
public enum DeviceRole
{
    /// <summary>Temperatures well inside the limits: never alarms.</summary>
    Normal,

    /// <summary>Repeats a cycle: running, heats past 90 (one alarm), reports shutdown (alarm cleared), stays hot while shut down (no alarm).</summary>
    OverheatThenShutdown,

    /// <summary>Oscillates around the 90 threshold above the 85 clear level: hysteresis keeps it to one alarm until it finally cools.</summary>
    Flapping,

    /// <summary>Reports a few times, then falls silent: the API should mark it offline after the deployment's offline window.</summary>
    Silent,
}
