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
    private readonly RedisKey[] _partitionKeys = [.. Enumerable.Range(0, options.Partitions).Select(new RedisStreamKeys(options.KeyPrefix).Partition)];
    private readonly RedisEntryWriters _writers = new();

    public int PartitionCount => options.Partitions;

    public async Task AppendAsync(IReadOnlyList<PartitionAppend> appends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appends);
        if (appends.Count == 0)
        {
            return;
        }

        var payloads = new RedisEntryWriters.Writer[appends.Count];
        for (var i = 0; i < appends.Count; i++)
        {
            payloads[i] = _writers.Write(appends[i].Events);
        }

        try
        {
            var db = await connection.GetDatabaseAsync();
            if (appends.Count == 1)
            {
                await AddAsync(db, appends[0].Partition, payloads[0]);
            }
            else
            {
                var transaction = db.CreateTransaction();
                var adds = new Task[appends.Count];
                for (var i = 0; i < appends.Count; i++)
                {
                    adds[i] = AddAsync(transaction, appends[i].Partition, payloads[i]);
                }

                if (!await transaction.ExecuteAsync())
                {
                    throw new TelemetryStreamUnavailableException("Redis did not execute the telemetry transaction.") { RetryAfter = options.MaxUnavailableBackoff };
                }

                await Task.WhenAll(adds);
            }
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            throw new TelemetryStreamUnavailableException($"Redis did not confirm the telemetry write: {ex.Message}", ex)
            {
                RetryAfter = options.MaxUnavailableBackoff,
            };
        }

        // Only now is every payload sent and stored; on any failure above the buffers are left to the GC.
        foreach (var payload in payloads)
        {
            _writers.Return(payload);
        }
    }

    private Task<RedisValue> AddAsync(IDatabaseAsync db, int partition, RedisEntryWriters.Writer payload) =>
        db.StreamAddAsync(_partitionKeys[partition], RedisStreamKeys.PayloadField, payload.Payload);
}
