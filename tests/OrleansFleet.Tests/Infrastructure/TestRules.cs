using OrleansFleet.Grains;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>The fleet rules the tests run with (the same shape as appsettings.json's).</summary>
internal static class TestRules
{
    public static readonly AlarmRule TemperatureHigh = new() { Id = "temperature-high", Metric = "temperature", Threshold = 90, ClearThreshold = 85, Severity = AlarmSeverity.Critical };
    public static readonly AlarmRule TemperatureLow = new() { Id = "temperature-low", Metric = "temperature", Comparison = ThresholdComparison.Below, Threshold = 2, ClearThreshold = 4 };
    public static readonly AlarmRule PressureHigh = new() { Id = "pressure-high", Metric = "pressure", Threshold = 12, ClearThreshold = 11, HoldTime = TimeSpan.FromSeconds(10) };

    public static FleetOptions Options(Action<FleetOptions>? configure = null)
    {
        var options = new FleetOptions { Rules = [TemperatureHigh, TemperatureLow, PressureHigh] };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/> (for <c>services.Configure</c>).</summary>
    public static void CopyTo(this FleetOptions source, FleetOptions target)
    {
        target.ReorderBufferSize = source.ReorderBufferSize;
        target.ReorderHoldTime = source.ReorderHoldTime;
        target.OfflineAfter = source.OfflineAfter;
        target.OfflineSeverity = source.OfflineSeverity;
        target.AlarmHistoryLimit = source.AlarmHistoryLimit;
        target.IndexShards = source.IndexShards;
        target.DurableOfflineWatch = source.DurableOfflineWatch;
        target.OfflineBackstopPeriod = source.OfflineBackstopPeriod;
        target.Rules = [.. source.Rules];
    }
}
