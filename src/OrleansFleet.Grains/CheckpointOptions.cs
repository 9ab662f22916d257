using System.ComponentModel.DataAnnotations;

namespace OrleansFleet.Grains;

/// <summary>
/// When a device grain persists what it applied in memory (configuration section <c>Fleet:Checkpoint</c>): whichever
/// comes first of <see cref="Interval"/> after the first unpersisted change and <see cref="MaxEvents"/> events, plus
/// every barrier of its partition and every deactivation. The stream is the write-ahead log in between.
/// </summary>
/// <remarks>
/// Events that came through a partition are checkpointed by that partition's barrier, every <see cref="Interval"/>;
/// the device's own timer then waits twice the interval, as the backstop for a barrier that does not come, so the two
/// do not both write the state every interval.
/// </remarks>
public sealed class CheckpointOptions
{
    /// <summary>
    /// The partition consumer's barrier period, and how long events applied by a direct call stay only in memory at most
    /// (events a partition fed: until its next barrier, or twice this if the barrier does not come).
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most events applied in memory before the device persists them without waiting for the interval.</summary>
    [Range(1, 1_000_000)]
    public int MaxEvents { get; set; } = 1_000;
}
