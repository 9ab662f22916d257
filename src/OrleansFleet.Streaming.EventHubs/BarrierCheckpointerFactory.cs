using Orleans.Streams;

namespace OrleansFleet.Streaming.EventHubs;

/// <summary>
/// The checkpointer factory the Event Hubs provider's receivers get (its <c>IStreamQueueCheckpointerFactory</c> seam):
/// the Azure Table checkpointer, made read-only for them. The receiver loads the checkpoint to know where to resume,
/// but the offsets it would save itself (the last event purged from its cache, the earliest subscription position) say
/// nothing about whether the devices have persisted those events. Only <see cref="EventHubTelemetryCommitter"/>, the
/// last step of the partition barrier, moves the checkpoint.
/// </summary>
public sealed class BarrierCheckpointerFactory(IStreamQueueCheckpointerFactory tables) : IStreamQueueCheckpointerFactory
{
    /// <inheritdoc />
    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IStreamQueueCheckpointer<string>> Create(string partition) => Create(partition, CancellationToken.None);

    /// <inheritdoc />
    public async Task<IStreamQueueCheckpointer<string>> Create(string partition, CancellationToken cancellationToken) =>
        new ReadOnlyCheckpointer(await tables.Create(partition, cancellationToken));

    private sealed class ReadOnlyCheckpointer(IStreamQueueCheckpointer<string> table) : IStreamQueueCheckpointer<string>
    {
        public bool CheckpointExists => table.CheckpointExists;

        [Obsolete("Use the overload which accepts a CancellationToken.")]
        public Task<string> Load() => table.Load(CancellationToken.None);

        public Task<string> Load(CancellationToken cancellationToken) => table.Load(cancellationToken);

        [Obsolete("Use the overload which accepts a CancellationToken.")]
        public void Update(string offset, DateTime utcNow)
        {
        }

        public void Update(string offset, DateTime utcNow, CancellationToken cancellationToken)
        {
            // The provider's own progress; the barrier decides (EventHubTelemetryCommitter).
        }

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
