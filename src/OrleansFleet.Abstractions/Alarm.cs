using System.Text.Json.Serialization;

namespace OrleansFleet;

/// <summary>One alarm of one device. At most one per device and rule is open (active or acknowledged) at a time.</summary>
[GenerateSerializer, Immutable, Alias("fleet.Alarm")]
public sealed record class Alarm
{
    /// <summary>Unique within the device (<c>a1</c>, <c>a2</c>, … in the order they were raised).</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The device that raised it.</summary>
    [Id(1)] public required string DeviceId { get; init; }

    /// <summary>The rule that raised it; <c>offline</c> for the offline alarm.</summary>
    [Id(2)] public required string RuleId { get; init; }

    /// <summary>The metric it is about; <c>null</c> for the offline alarm.</summary>
    [Id(3)] public string? Metric { get; init; }

    /// <summary>How urgent it is.</summary>
    [Id(4)] public AlarmSeverity Severity { get; init; }

    /// <summary>Where it is in its lifecycle.</summary>
    [Id(5)] public AlarmState State { get; init; }

    /// <summary>The latest breaching value (repeated breaches update it); <c>null</c> for the offline alarm.</summary>
    [Id(6)] public double? Value { get; init; }

    /// <summary>When it was raised: the device time of the reading, or the server time for the offline alarm.</summary>
    [Id(7)] public DateTimeOffset RaisedAt { get; init; }

    /// <summary>The <c>seq</c> of the reading that raised it, when it had one.</summary>
    [Id(8)] public long? RaisedBySeq { get; init; }

    /// <summary>When an operator acknowledged it.</summary>
    [Id(9)] public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>When it cleared.</summary>
    [Id(10)] public DateTimeOffset? ClearedAt { get; init; }

    /// <summary>Why it cleared: <c>recovered</c>, <c>shutdown</c>, <c>online</c> or <c>rule-removed</c>.</summary>
    [Id(11)] public string? ClearReason { get; init; }

    /// <summary>How many breaching readings it has absorbed since it was raised.</summary>
    [Id(12)] public int BreachCount { get; init; } = 1;

    /// <summary>Whether the alarm is still open (not cleared).</summary>
    [JsonIgnore]
    public bool IsOpen => State != AlarmState.Cleared;
}
