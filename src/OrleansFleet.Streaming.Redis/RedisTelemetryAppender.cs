using StackExchange.Redis;

namespace OrleansFleet.Streaming.Redis;

/// <summary>
/// Appends a request's partitions in one <c>MULTI</c>/<c>EXEC</c> transaction: one <c>XADD {prefix}:{n} * p {json}</c>
/// per partition, all stored or none. This relies on every partition stream living on one Redis node, as it does with
/// a single server or a primary with replicas; on Redis Cluster the keys hash to different slots and a transaction
/// across them is refused (<c>CROSSSLOT</c>): there, give the keys one hash tag (a <c>KeyPrefix</c> like
/// <c>{fleet}:telemetry</c>), which puts every partition on one node.
/// </summary>
internal sealed class RedisTelemetryAppender(RedisTelemetryStreamOptions options, RedisTelemetryConnection connection) : ITelemetryAppender
{
    private readonly RedisStreamKeys _keys = new(options.KeyPrefix);

    public int PartitionCount => options.Partitions;

    public async Task AppendAsync(IReadOnlyList<PartitionAppend> appends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appends);
        if (appends.Count == 0)
        {
            return;
        }

        try
        {
            var db = await connection.GetDatabaseAsync();
            if (appends.Count == 1)
            {
                await AddAsync(db, appends[0]);
                return;
            }

            var transaction = db.CreateTransaction();
            var adds = appends.Select(a => AddAsync(transaction, a)).ToArray();
            if (!await transaction.ExecuteAsync())
            {
                throw new TelemetryStreamUnavailableException("Redis did not execute the telemetry transaction.") { RetryAfter = options.MaxUnavailableBackoff };
            }

            await Task.WhenAll(adds);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            throw new TelemetryStreamUnavailableException($"Redis did not confirm the telemetry write: {ex.Message}", ex)
            {
                RetryAfter = options.MaxUnavailableBackoff,
            };
        }
    }

    private Task<RedisValue> AddAsync(IDatabaseAsync db, PartitionAppend append) =>
        db.StreamAddAsync(_keys.Partition(append.Partition), RedisStreamKeys.PayloadField, TelemetryJson.WriteArray(append.Events));
}
