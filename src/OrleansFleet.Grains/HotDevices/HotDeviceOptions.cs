using System.ComponentModel.DataAnnotations;

namespace OrleansFleet.Grains.HotDevices;

/// <summary>Hot-device tracking and its fleet alarm (configuration section <c>Fleet:HotDevices</c>).</summary>
public sealed class HotDeviceOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:HotDevices";

    /// <summary>The length of one interval of the sliding window.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many intervals the ranking covers (12 × 5 s: the last minute).</summary>
    [Range(1, 1_000)]
    public int WindowIntervals { get; set; } = 12;

    /// <summary>Counters per interval: the memory bound, and the accuracy (error at most events / capacity).</summary>
    [Range(8, 100_000)]
    public int Capacity { get; set; } = 256;

    /// <summary>How many intervals of total ingest rate are kept for the rate chart (60 × 5 s: five minutes).</summary>
    [Range(1, 10_000)]
    public int HistoryIntervals { get; set; } = 60;

    /// <summary>The fleet alarm goes off when one device sends more than this share of all traffic.</summary>
    [Range(0.01, 1.0)]
    public double AlarmShare { get; set; } = 0.5;

    /// <summary>Below this fleet-wide rate (events/s) there is no alarm: in an idle fleet any device is a large share.</summary>
    [Range(0.0, double.MaxValue)]
    public double AlarmMinEventsPerSecond { get; set; } = 10;
}
