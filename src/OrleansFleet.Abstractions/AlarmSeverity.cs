namespace OrleansFleet;

/// <summary>How urgent an alarm is. Persisted: never renumber.</summary>
public enum AlarmSeverity
{
    /// <summary>Worth knowing.</summary>
    Info = 0,
    /// <summary>Needs attention soon.</summary>
    Warning = 1,
    /// <summary>Needs attention now.</summary>
    Critical = 2,
}
