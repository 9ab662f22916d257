using System.Collections.Concurrent;

namespace OrleansFleet;

/// <summary>
/// The fleet read model's rows in silo memory (embedded mode): they outlive a shard's deactivation, not the process.
/// </summary>
/// <remarks>It lives with the contracts because it needs no package, as <see cref="MemoryTelemetryHistoryStore"/> does.</remarks>
public sealed class MemoryDeviceSummaryStore : IDeviceSummaryStore
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, DeviceSummary>> _shards = new();

    /// <inheritdoc/>
    public Task UpsertAsync(int shard, IReadOnlyCollection<DeviceSummary> summaries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        ConcurrentDictionary<string, DeviceSummary> rows = _shards.GetOrAdd(shard, static _ => new(StringComparer.Ordinal));
        foreach (DeviceSummary summary in summaries)
        {
            rows[summary.DeviceId] = summary;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeviceSummary>> ReadShardAsync(int shard, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeviceSummary>>(_shards.TryGetValue(shard, out var rows) ? [.. rows.Values] : []);
}
