namespace OrleansFleet;

/// <summary>Where an alarm is in its lifecycle: active → acknowledged → cleared (cleared may also follow active directly).</summary>
public enum AlarmState
{
    /// <summary>Raised and not yet seen by an operator.</summary>
    Active = 0,
    /// <summary>An operator has seen it; the condition still holds.</summary>
    Acknowledged = 1,
    /// <summary>The condition has ended; the alarm is history.</summary>
    Cleared = 2,
}
