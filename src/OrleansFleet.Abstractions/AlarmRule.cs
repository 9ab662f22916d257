using System.Text.Json.Serialization;

namespace OrleansFleet;

/// <summary>
/// A threshold rule on one metric. Hysteresis keeps an alarm from flapping: it is raised past the threshold
/// and cleared only once the value is back past the clear threshold.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.AlarmRule")]
public sealed record class AlarmRule
{
    /// <summary>Identifies the rule; a device rule with the id of a fleet rule overrides it.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The metric the rule watches.</summary>
    [Id(1)] public required string Metric { get; init; }

    /// <summary>Which side of the threshold is a breach.</summary>
    [Id(2)] public ThresholdComparison Comparison { get; init; } = ThresholdComparison.Above;

    /// <summary>The value past which the alarm is raised.</summary>
    [Id(3)] public required double Threshold { get; init; }

    /// <summary>The value back past which the alarm clears; defaults to the threshold (no hysteresis).</summary>
    [Id(4)] public double? ClearThreshold { get; init; }

    /// <summary>How urgent the alarm is.</summary>
    [Id(5)] public AlarmSeverity Severity { get; init; } = AlarmSeverity.Warning;

    /// <summary>How long (in device time) the breach must last before the alarm is raised; none means at once.</summary>
    [Id(6)] public TimeSpan? HoldTime { get; init; }

    /// <summary>A device override with <c>false</c> switches a fleet rule off for that device.</summary>
    [Id(7)] public bool Enabled { get; init; } = true;

    /// <summary>The effective clear threshold.</summary>
    [JsonIgnore]
    public double EffectiveClearThreshold => ClearThreshold ?? Threshold;
}
