using OrleansFleet.Grains;

namespace OrleansFleet.Bench;

/// <summary>The fleet options every variant runs with: the host's defaults from appsettings.json.</summary>
internal static class BenchFleet
{
    public static FleetOptions Options() => new()
    {
        Rules =
        [
            new AlarmRule { Id = "temperature-high", Metric = "temperature", Threshold = 90, ClearThreshold = 85, Severity = AlarmSeverity.Critical },
            new AlarmRule { Id = "temperature-low", Metric = "temperature", Comparison = ThresholdComparison.Below, Threshold = 2, ClearThreshold = 4, Severity = AlarmSeverity.Warning },
            new AlarmRule { Id = "pressure-high", Metric = "pressure", Threshold = 12, ClearThreshold = 11, Severity = AlarmSeverity.Warning, HoldTime = TimeSpan.FromSeconds(10) },
        ],
    };
}
