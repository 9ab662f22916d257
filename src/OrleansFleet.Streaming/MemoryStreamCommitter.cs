using Orleans.Streams;

namespace OrleansFleet.Streaming;

/// <summary>
/// The committer of Orleans memory streams: nothing durable to commit. Their queues live in the silo's memory and go
/// with it, so there is no redelivery after a crash either; the barrier still runs, so devices checkpoint on it.
/// </summary>
public sealed class MemoryStreamCommitter : ITelemetryStreamCommitter
{
    /// <inheritdoc />
    public Task CommitAsync(int partition, IReadOnlyList<StreamSequenceToken> positions, CancellationToken cancellationToken) => Task.CompletedTask;
}
