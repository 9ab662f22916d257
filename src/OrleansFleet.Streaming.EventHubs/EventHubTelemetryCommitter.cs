using System.Collections.Concurrent;
using System.Globalization;

using Orleans.Streams;

namespace OrleansFleet.Streaming.EventHubs;

/// <summary>
/// Commits a partition's delivered positions as its Event Hubs checkpoint on Azure Tables: the last step of
/// <c>TelemetryPartitionGrain</c>'s barrier, called once every device fed from those positions has checkpointed.
/// A partition is delivered in order, so the barrier's positions are a prefix of what is left; the checkpoint moves to
/// the offset of the newest one, after the partition's dead letters are stored. Event Hubs resumes inclusive of the
/// checkpointed event, so one event is delivered again after a restart, and <c>seq</c> deduplication drops it.
/// It writes through its own Azure Table checkpointer per partition (the same row the receivers load), so a barrier on
/// a silo whose pulling agent has lost the partition in a rebalance still commits; two silos writing one row can at
/// worst move it back to an older barrier, which only replays more.
/// </summary>
public sealed class EventHubTelemetryCommitter(IStreamQueueCheckpointerFactory tables, EventHubDeadLetters deadLetters, TimeProvider time) : ITelemetryStreamCommitter
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IStreamQueueCheckpointer<string>>>> _checkpointers = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task CommitAsync(int partition, IReadOnlyList<StreamSequenceToken> positions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(positions);
        PartitionSequenceToken? newest = null;
        foreach (var position in positions)
        {
            if (position is PartitionSequenceToken token && (newest is null || token.CompareTo(newest) > 0))
            {
                newest = token;
            }
        }

        if (newest is null)
        {
            return;
        }

        var id = partition.ToString(CultureInfo.InvariantCulture);
        await deadLetters.FlushAsync(id, cancellationToken);
        var checkpointer = await CheckpointerAsync(id);
        checkpointer.Update(newest.Position, time.GetUtcNow().UtcDateTime, cancellationToken);
        // The table checkpointer throttles its saves; the barrier needs this one stored before it returns.
        await checkpointer.FlushAsync(cancellationToken);
    }

    private async Task<IStreamQueueCheckpointer<string>> CheckpointerAsync(string partition)
    {
        var created = _checkpointers.GetOrAdd(partition, p => new(() => tables.Create(p, CancellationToken.None)));
        try
        {
            return await created.Value;
        }
        catch (Exception) when (_checkpointers.TryRemove(new(partition, created)))
        {
            // Not cached: the next barrier tries to reach the table again.
            throw;
        }
    }
}
