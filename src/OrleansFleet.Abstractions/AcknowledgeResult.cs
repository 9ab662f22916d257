namespace OrleansFleet;

/// <summary>The outcome of acknowledging an alarm.</summary>
public enum AcknowledgeOutcome
{
    /// <summary>The alarm is now acknowledged (or already was).</summary>
    Acknowledged = 0,
    /// <summary>The device has no alarm with that id.</summary>
    NotFound = 1,
    /// <summary>The alarm is already cleared; there is nothing to acknowledge.</summary>
    AlreadyCleared = 2,
}

/// <summary>The outcome of acknowledging an alarm, with the alarm as it now is.</summary>
[GenerateSerializer, Immutable, Alias("fleet.AcknowledgeResult")]
public sealed record class AcknowledgeResult([property: Id(0)] AcknowledgeOutcome Outcome, [property: Id(1)] Alarm? Alarm);
