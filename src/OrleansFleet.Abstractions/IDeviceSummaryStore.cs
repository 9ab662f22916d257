namespace OrleansFleet;

/// <summary>
/// Where the fleet read model keeps its rows: one <see cref="DeviceSummary"/> per device, grouped by index shard.
/// Each shard of the index (<see cref="IFleetIndexGrain"/>) holds its rows in memory, reads them back from here when
/// it activates, and writes only the rows that changed since its last write, so a write grows with what changed, never
/// with how many devices the shard holds.
/// </summary>
/// <remarks>
/// A shard is the only writer of its rows (Orleans keeps one activation per shard), so writes replace rows without a
/// version check; the shard itself ignores summaries older than the one it holds.
/// </remarks>
public interface IDeviceSummaryStore
{
    /// <summary>
    /// Inserts or replaces the rows of <paramref name="summaries"/> in shard <paramref name="shard"/>. When the task
    /// completes, every row is durable; when it throws, callers must treat all of them as not written.
    /// </summary>
    /// <param name="shard">The index shard the devices hash to.</param>
    /// <param name="summaries">The devices' latest summaries, at most one per device.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task UpsertAsync(int shard, IReadOnlyCollection<DeviceSummary> summaries, CancellationToken cancellationToken);

    /// <summary>Every row of shard <paramref name="shard"/>, in no particular order.</summary>
    /// <param name="shard">The index shard.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<DeviceSummary>> ReadShardAsync(int shard, CancellationToken cancellationToken);
}
