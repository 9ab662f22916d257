using System.ComponentModel.DataAnnotations;

namespace OrleansFleet.Grains.Telemetry;

/// <summary>When the telemetry writer flushes (configuration section <c>Fleet:Storage:Writer</c>).</summary>
public sealed class TelemetryWriterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:Storage:Writer";

    /// <summary>
    /// Readings that make a flush start at once. Larger batches mean fewer, fuller entity-group transactions; the
    /// store still cuts them into transactions of at most 100 rows of one device.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxBatch { get; set; } = 500;

    /// <summary>
    /// Longest a reading waits for more to join its batch before the batch is flushed anyway: the latency a quiet
    /// system pays for group commit.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(50);
}
