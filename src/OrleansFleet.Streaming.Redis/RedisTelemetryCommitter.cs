using Orleans.Streams;

using StackExchange.Redis;

namespace OrleansFleet.Streaming.Redis;

/// <summary>
/// Commits delivered entries by acknowledging them (<c>XACK</c>) in the partition's consumer group, the last step of
/// the partition consumer's barrier. Until then an entry stays in the group's pending list: a silo that takes the
/// partition over (or this one after a restart) reads that list from id 0 first, which is exactly "redeliver from the
/// last committed position", and the trimmer never removes a pending entry. Any silo can acknowledge any partition's
/// entries, so it does not matter where the partition grain runs; the local receiver, if any, is told as well.
/// </summary>
internal sealed class RedisTelemetryCommitter(
    RedisTelemetryStreamOptions options,
    string group,
    RedisTelemetryConnection connection,
    RedisReceiverRegistry receivers) : ITelemetryStreamCommitter
{
    private readonly RedisStreamKeys _keys = new(options.KeyPrefix);

    public async Task CommitAsync(int partition, IReadOnlyList<StreamSequenceToken> positions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var ids = positions.OfType<PartitionSequenceToken>().Select(t => (RedisValue)t.Position).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        try
        {
            var db = await connection.GetDatabaseAsync();
            foreach (var chunk in ids.Chunk(500))
            {
                await db.StreamAcknowledgeAsync(_keys.Partition(partition), group, chunk);
            }
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            throw new TelemetryStreamUnavailableException($"Redis did not confirm the commit of {ids.Length} entries of partition {partition}: {ex.Message}", ex);
        }

        receivers.Find(partition)?.Committed(ids);
    }
}
