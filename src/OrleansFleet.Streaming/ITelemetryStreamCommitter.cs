using Orleans.Streams;

namespace OrleansFleet.Streaming;

/// <summary>
/// Commits delivered positions of a partition to its transport, so they are not delivered again after a crash: the
/// last step of the partition consumer's barrier, called only once every device fed from those positions has
/// checkpointed. Registered as a keyed singleton under the stream provider's name (one per transport): Redis
/// acknowledges the entries (<c>XACK</c>); memory streams have nothing durable to commit; Event Hubs checkpoints the
/// partition's offset on Azure Tables (a partition is delivered in order, so the newest position given is the checkpoint).
/// </summary>
public interface ITelemetryStreamCommitter
{
    /// <summary>Commits <paramref name="positions"/>, the tokens of batches of partition <paramref name="partition"/> whose devices have checkpointed.</summary>
    Task CommitAsync(int partition, IReadOnlyList<StreamSequenceToken> positions, CancellationToken cancellationToken);
}
