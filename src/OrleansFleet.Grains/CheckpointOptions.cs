using System.ComponentModel.DataAnnotations;

namespace OrleansFleet.Grains;

/// <summary>
/// When a device grain persists what it applied in memory (configuration section <c>Fleet:Checkpoint</c>): whichever
/// comes first of <see cref="Interval"/> after the first unpersisted change and <see cref="MaxEvents"/> events, plus
/// every barrier of its partition and every deactivation. The stream is the write-ahead log in between.
/// </summary>
public sealed class CheckpointOptions
{
    /// <summary>Longest time applied events stay only in memory; also the partition consumer's barrier period.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most events applied in memory before the device persists them without waiting for the interval.</summary>
    [Range(1, 1_000_000)]
    public int MaxEvents { get; set; } = 1_000;
}
