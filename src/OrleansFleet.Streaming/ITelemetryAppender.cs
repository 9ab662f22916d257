namespace OrleansFleet.Streaming;

/// <summary>
/// Appends one validated request to the telemetry stream, already grouped by partition: one append per partition,
/// and all of them or none (a refused request can be retried whole without relying on duplicate detection).
/// Registered as a keyed singleton under the stream provider's name. When the returned task completes, a durable
/// transport has stored every append; a refusal throws <see cref="TelemetryStreamUnavailableException"/> (503).
/// </summary>
public interface ITelemetryAppender
{
    /// <summary>How many partitions the stream has; producers hash devices onto them with <see cref="DevicePartitioner"/>.</summary>
    int PartitionCount { get; }

    /// <summary>Appends every partition's batch, or none.</summary>
    Task AppendAsync(IReadOnlyList<PartitionAppend> appends, CancellationToken cancellationToken);
}

/// <summary>One partition's share of a request.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Events">Its events, in request order.</param>
public sealed record PartitionAppend(int Partition, IReadOnlyList<TelemetryEvent> Events);
