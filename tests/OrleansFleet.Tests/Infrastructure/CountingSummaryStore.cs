using System.Collections.Concurrent;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// An <see cref="IDeviceSummaryStore"/> in front of the in-memory one that records how many rows each shard write
/// carried, so tests see whether a write grows with what a shard holds or with what changed.
/// </summary>
internal sealed class CountingSummaryStore(IDeviceSummaryStore inner) : IDeviceSummaryStore
{
    private readonly ConcurrentDictionary<int, ConcurrentQueue<IReadOnlyList<string>>> _writes = new();

    /// <summary>The device ids of every write to <paramref name="shard"/> so far, oldest first.</summary>
    public IReadOnlyList<IReadOnlyList<string>> WritesTo(int shard) => _writes.TryGetValue(shard, out var writes) ? [.. writes] : [];

    public Task UpsertAsync(int shard, IReadOnlyCollection<DeviceSummary> summaries, CancellationToken cancellationToken)
    {
        _writes.GetOrAdd(shard, static _ => new()).Enqueue([.. summaries.Select(s => s.DeviceId)]);
        return inner.UpsertAsync(shard, summaries, cancellationToken);
    }

    public Task<IReadOnlyList<DeviceSummary>> ReadShardAsync(int shard, CancellationToken cancellationToken) => inner.ReadShardAsync(shard, cancellationToken);
}
