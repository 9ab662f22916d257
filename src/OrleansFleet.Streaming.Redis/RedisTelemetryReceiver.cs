using System.Collections.Concurrent;
using System.Globalization;

using Microsoft.Extensions.Logging;

using Orleans.Streams;

using StackExchange.Redis;

using RedisStreamPosition = StackExchange.Redis.StreamPosition;

namespace OrleansFleet.Streaming.Redis;

/// <summary>
/// Reads one partition (one Redis stream) for the silo that currently owns it. Orleans creates one receiver per
/// queue its balancer gave this silo, and a pulling agent drives it: every <c>GetQueueMsgsTimerPeriod</c> it asks for
/// entries (<see cref="GetQueueMessagesAsync(int, CancellationToken)"/>), puts them into its queue cache, delivers them
/// stream by stream to the consumers, and hands back what the cache purged via
/// <see cref="MessagesDeliveredAsync(IList{IBatchContainer}, CancellationToken)"/>.
/// <para>
/// Acknowledgement semantics: this receiver never acknowledges a delivered entry itself. The partition consumer
/// grain commits delivered entries (<see cref="RedisTelemetryCommitter"/>, <c>XACK</c>) at its barrier, once every
/// device it fed has checkpointed, so until then the entry stays in the consumer group's pending list: a crash or a
/// hand-over redelivers it (the next owner reads that list from id 0), and the trimmer never removes it. When the
/// agent's cache purges an entry (every consumer finished with it), the receiver keeps it as "awaiting commit" so it
/// does not redeliver it while the barrier is on its way; after <see cref="RedisTelemetryStreamOptions.ReclaimIdleTime"/>
/// without a commit it lets go, and the orphan scan claims it again (a barrier that could not commit it).
/// When the consumer throws, the agent retries the delivery with back-off until
/// <c>StreamPullingAgentOptions.MaxEventDeliveryTime</c> (default 1 minute) has passed; then it marks the cache item
/// as failed (a failed item is dropped from the purge list, so it is never acknowledged), calls the queue's
/// <see cref="IStreamFailureHandler"/> and moves on to the stream's next message. The handler
/// (<see cref="OnDeliveryFailed"/>) re-queues the entry; it is claimed again (<c>XCLAIM</c>, which counts the
/// delivery) and redelivered, and after <see cref="RedisTelemetryStreamOptions.MaxDeliveryAttempts"/> deliveries it
/// goes to the dead-letter stream. Until then it stays in the pending list, so neither a crash nor trimming loses it.
/// </para>
/// </summary>
internal sealed class RedisTelemetryReceiver : IQueueAdapterReceiver
{
    private readonly string _providerName;
    private readonly int _partition;
    private readonly RedisTelemetryStreamOptions _options;
    private readonly RedisValue _group;
    private readonly RedisValue _consumer;
    private readonly RedisKey _key;
    private readonly string _keyName;
    private readonly RedisStreamKeys _keys;
    private readonly TelemetryLimits _limits;
    private readonly RedisTelemetryConnection _connection;
    private readonly TimeProvider _time;
    private readonly StreamingMetrics _metrics;
    private readonly ILogger _logger;

    // Entries handed to the agent's cache and not yet purged or failed, by cache position.
    private readonly Dictionary<long, string> _inFlight = [];
    private readonly Lock _lock = new();

    // Entries whose delivery Orleans gave up on; claimed and redelivered on the next read.
    private readonly ConcurrentQueue<string> _failed = new();

    // Entries the cache purged (delivered), not yet committed by the partition's barrier, with when they were purged.
    private readonly Dictionary<string, DateTimeOffset> _awaitingCommit = new(StringComparer.Ordinal);

    private long _position;
    private bool _groupReady;
    private string? _replayFrom = "0";
    private DateTimeOffset _pausedUntil;
    private TimeSpan _backoff;
    private DateTimeOffset _nextOrphanScan;
    private DateTimeOffset _nextTrim;

    public RedisTelemetryReceiver(
        string providerName,
        int partition,
        string group,
        RedisTelemetryStreamOptions options,
        TelemetryLimits limits,
        RedisTelemetryConnection connection,
        TimeProvider time,
        StreamingMetrics metrics,
        ILogger logger)
    {
        _providerName = providerName;
        _partition = partition;
        _options = options;
        _group = group;
        _consumer = RedisStreamKeys.Consumer(partition);
        _keys = new RedisStreamKeys(options.KeyPrefix);
        _key = _keys.Partition(partition);
        _keyName = _key.ToString();
        _limits = limits;
        _connection = connection;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _nextOrphanScan = time.GetUtcNow() + options.ReclaimIdleTime;
    }

    /// <summary>Entries this receiver holds in the agent's cache (for tests and diagnostics).</summary>
    public int InFlightCount
    {
        get
        {
            lock (_lock)
            {
                return _inFlight.Count;
            }
        }
    }

    public async Task Initialize(TimeSpan timeout)
    {
        try
        {
            var db = await _connection.GetDatabaseAsync();
            await EnsureGroupAsync(db);
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            // The agent calls Initialize once; reads retry the group creation until Redis answers.
            _logger.LogWarning(ex, "Redis telemetry partition {Stream}: cannot create consumer group yet; will retry while reading.", _keyName);
        }
    }

    [Obsolete("Orleans calls the overload with a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var result = new List<IBatchContainer>();
        // A negative count means "no cache limit" (QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG).
        var limit = maxCount < 0 ? _options.ReadBatchSize : Math.Min(maxCount, _options.ReadBatchSize);
        if (limit <= 0 || now < _pausedUntil)
        {
            return result;
        }

        try
        {
            var db = await _connection.GetDatabaseAsync();
            if (!_groupReady)
            {
                await EnsureGroupAsync(db);
            }

            await RedeliverFailedAsync(db, result, limit, now);

            if (_replayFrom is { } from)
            {
                // After taking the partition over: first our consumer's own pending entries (the previous owner's
                // unacknowledged ones, since the consumer name belongs to the partition), then new ones.
                var history = await db.StreamReadGroupAsync(_key, _group, _consumer, from, limit - result.Count);
                if (history.Length == 0)
                {
                    _replayFrom = null;
                }
                else
                {
                    _replayFrom = history[^1].Id;
                    var held = Held();
                    foreach (var entry in history)
                    {
                        // Entries already in this silo's cache (or awaiting XACK/redelivery) are not delivered twice.
                        if (!held.Contains((string)entry.Id!))
                        {
                            await AcceptAsync(db, entry, result, now);
                        }
                    }

                    return Resumed(result);
                }
            }

            if (now >= _nextOrphanScan)
            {
                _nextOrphanScan = now + (_options.ReclaimIdleTime / 2);
                await ReclaimOrphansAsync(db, result, limit, now);
            }

            if (result.Count < limit)
            {
                var entries = await db.StreamReadGroupAsync(_key, _group, _consumer, RedisStreamPosition.NewMessages, limit - result.Count);
                foreach (var entry in entries)
                {
                    await AcceptAsync(db, entry, result, now);
                }
            }

            // Trimming also runs on idle reads, so retention catches up once a lagging group acknowledges.
            await TrimIfDueAsync(db);

            return Resumed(result);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            // The stream or group vanished (Redis restarted without persistence, or someone deleted the key).
            _logger.LogWarning(ex, "Redis telemetry partition {Stream}: consumer group missing; recreating it.", _keyName);
            _groupReady = false;
            _replayFrom = "0";
            return result;
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            // A read whose reply was lost (Redis died after recording the delivery) left entries in our pending list
            // that this silo never saw; replaying the list from id 0 once Redis is back delivers them before newer ones.
            _replayFrom = "0";
            Pause(ex, now);
            return result;
        }
    }

    [Obsolete("Orleans calls the overload with a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            foreach (var message in messages)
            {
                // Only entries still in flight: one whose delivery failed for some consumer is being redelivered.
                // Not acknowledged here: the partition's barrier commits it once its devices have checkpointed.
                if (message is TelemetryBatchContainer container && _inFlight.Remove(container.Token.SequenceNumber))
                {
                    _awaitingCommit[container.Token.Position] = now;
                }
            }
        }

        try
        {
            var db = await _connection.GetDatabaseAsync();
            await TrimIfDueAsync(db);
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            _logger.LogWarning(ex, "Redis telemetry partition {Stream}: trimming deferred, Redis unavailable.", _keyName);
        }
    }

    public Task Shutdown(TimeSpan timeout)
    {
        // Whatever is in flight or awaiting its commit stays in the partition's pending list; the next owner replays it from id 0.
        lock (_lock)
        {
            _inFlight.Clear();
            _awaitingCommit.Clear();
        }

        return Task.CompletedTask;
    }

    /// <summary>Called when the partition's barrier committed <paramref name="ids"/>: they are acknowledged and need no more watching.</summary>
    public void Committed(IEnumerable<RedisValue> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_lock)
        {
            foreach (var id in ids)
            {
                _awaitingCommit.Remove((string)id!);
            }
        }
    }

    /// <summary>Called by the partition's failure handler when Orleans gave up delivering a batch.</summary>
    public void OnDeliveryFailed(PartitionSequenceToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        lock (_lock)
        {
            if (!_inFlight.Remove(token.SequenceNumber))
            {
                return;
            }
        }

        _logger.LogWarning("Redis telemetry partition {Stream}: delivery of entry {EntryId} failed; it stays unacknowledged and is redelivered.", _keyName, token.Position);
        _failed.Enqueue(token.Position);
    }

    private async Task EnsureGroupAsync(IDatabase db)
    {
        try
        {
            // From id 0, never "$": a new service (consumer group) reads the retained backlog instead of skipping it.
            await db.StreamCreateConsumerGroupAsync(_key, _group, RedisStreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Already there: another silo or an earlier run created it; its position is the durable checkpoint.
        }

        _groupReady = true;
    }

    private async Task AcceptAsync(IDatabase db, StreamEntry entry, List<IBatchContainer> result, DateTimeOffset now)
    {
        if (entry.IsNull || entry.Values is null || entry.Values.Length == 0)
        {
            // A pending entry that was deleted from the stream: nothing to deliver, release it.
            await db.StreamAcknowledgeAsync(_key, _group, entry.Id);
            return;
        }

        var device = entry[RedisStreamKeys.DeviceField];
        var payload = entry[RedisStreamKeys.PayloadField];
        var decoded = TelemetryEntryDecoder.Decode(
            device.IsNullOrEmpty ? null : (string?)device,
            payload.IsNullOrEmpty ? null : (byte[]?)payload,
            _partition,
            _options.Partitions,
            _limits,
            now);
        if (decoded.DeadLetter is { } deadLetter)
        {
            await DeadLetterAsync(db, entry, deadLetter);
            return;
        }

        var position = ++_position;
        var id = (string)entry.Id!;
        lock (_lock)
        {
            _inFlight[position] = id;
        }

        result.Add(new TelemetryBatchContainer(
            TelemetryPartitionStream.Of(_partition),
            new TelemetryBatch(decoded.Events!, AppendedAt(id)),
            new PartitionSequenceToken(position, 0, id)));
    }

    /// <summary>The append time of an entry: the milliseconds part of its id, from the Redis server's clock.</summary>
    private static DateTimeOffset? AppendedAt(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return long.TryParse(dash < 0 ? id : id[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
    }

    private async Task DeadLetterAsync(IDatabase db, StreamEntry entry, DeadLetter deadLetter)
    {
        var fields = new List<NameValueEntry>(entry.Values ?? [])
        {
            new(DeadLetter.ReasonField, deadLetter.Reason),
            new(DeadLetter.KindField, deadLetter.Kind),
            new(DeadLetter.SourceField, _keyName),
            new(DeadLetter.SourceIdField, entry.Id),
        };

        // One transaction: the entry is either moved (copied and acknowledged) or left pending, never both or neither.
        var transaction = db.CreateTransaction();
        var add = transaction.StreamAddAsync(_keys.DeadLetter, [.. fields]);
        var ack = transaction.StreamAcknowledgeAsync(_key, _group, entry.Id);
        if (await transaction.ExecuteAsync())
        {
            await add;
            await ack;
        }

        _metrics.RecordDeadLetter(_providerName, deadLetter);
        _logger.LogWarning("Redis telemetry partition {Stream}: entry {EntryId} dead-lettered to {DeadLetterStream} ({Kind}): {Reason}", _keyName, (string?)entry.Id, (string?)_keys.DeadLetter, deadLetter.Kind, deadLetter.Reason);
    }

    private async Task RedeliverFailedAsync(IDatabase db, List<IBatchContainer> result, int limit, DateTimeOffset now)
    {
        while (result.Count < limit && _failed.TryPeek(out var id))
        {
            var pending = await PendingAsync(db, id, id, 1, null);
            if (pending.Count == 1)
            {
                await DeliverAgainAsync(db, pending[0], TimeSpan.Zero, result, now);
            }

            _failed.TryDequeue(out _);
        }
    }

    private async Task ReclaimOrphansAsync(IDatabase db, List<IBatchContainer> result, int limit, DateTimeOffset now)
    {
        // Entries pending for this partition's consumer that this silo does not hold: read by a previous owner that
        // overlapped with us during a hand-over and then vanished, or left over for any other reason.
        var held = Held();
        foreach (var pending in await PendingAsync(db, "-", "+", limit - result.Count, _options.ReclaimIdleTime))
        {
            if (!held.Contains(pending.Id))
            {
                await DeliverAgainAsync(db, pending, _options.ReclaimIdleTime, result, now);
            }
        }
    }

    private HashSet<string> Held()
    {
        HashSet<string> held;
        var stale = _time.GetUtcNow() - _options.ReclaimIdleTime;
        lock (_lock)
        {
            // A delivered entry whose commit has not come for ReclaimIdleTime is let go: the orphan scan claims it again.
            foreach (var (id, purgedAt) in _awaitingCommit.Where(e => e.Value < stale).ToList())
            {
                _awaitingCommit.Remove(id);
            }

            held = [.. _inFlight.Values, .. _awaitingCommit.Keys];
        }

        held.UnionWith(_failed);
        return held;
    }

    private async Task DeliverAgainAsync(IDatabase db, PendingEntry pending, TimeSpan minIdle, List<IBatchContainer> result, DateTimeOffset now)
    {
        if (pending.DeliveryCount >= _options.MaxDeliveryAttempts)
        {
            var entries = await db.StreamRangeAsync(_key, pending.Id, pending.Id, 1);
            if (entries.Length == 1)
            {
                await DeadLetterAsync(db, entries[0], new DeadLetter(
                    DeadLetter.KindDeliveryFailed,
                    string.Create(CultureInfo.InvariantCulture, $"the consumer failed on it in {pending.DeliveryCount} deliveries (MaxDeliveryAttempts {_options.MaxDeliveryAttempts})")));
            }
            else
            {
                await db.StreamAcknowledgeAsync(_key, _group, pending.Id);
            }

            return;
        }

        // XCLAIM counts a delivery and makes this consumer the owner again; an entry claimed meanwhile by someone
        // else (idle time reset) is not returned, and a deleted one comes back empty.
        var claimed = await db.StreamClaimAsync(_key, _group, _consumer, (long)minIdle.TotalMilliseconds, [pending.Id]);
        foreach (var entry in claimed)
        {
            await AcceptAsync(db, entry, result, now);
        }
    }

    private async Task<List<PendingEntry>> PendingAsync(IDatabase db, string start, string end, int count, TimeSpan? minIdle)
    {
        // XPENDING key group [IDLE ms] start end count consumer: the extended form gives each entry's delivery count.
        var args = new List<object> { _key, _group };
        if (minIdle is { } idle)
        {
            args.Add("IDLE");
            args.Add((long)idle.TotalMilliseconds);
        }

        args.AddRange([start, end, count, _consumer]);
        var reply = (RedisResult[]?)await db.ExecuteAsync("XPENDING", [.. args]) ?? [];
        var list = new List<PendingEntry>(reply.Length);
        foreach (var item in reply)
        {
            var fields = (RedisResult[])item!;
            list.Add(new PendingEntry((string)fields[0]!, (long)fields[3]));
        }

        return list;
    }

    private async Task TrimIfDueAsync(IDatabase db)
    {
        var now = _time.GetUtcNow();
        if (_options.RetainMaxLength is not { } retain || now < _nextTrim)
        {
            return;
        }

        _nextTrim = now + _options.TrimInterval;
        await RedisSafeTrimmer.TrimAsync(db, _key, retain, _options.MaxTrimPerPass);
    }

    private void Pause(Exception ex, DateTimeOffset now)
    {
        if (_backoff == TimeSpan.Zero)
        {
            _logger.LogWarning(ex, "Redis telemetry partition {Stream}: Redis unavailable; reading paused and retried with back-off.", _keyName);
        }

        _backoff = _backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.MaxUnavailableBackoff.Ticks));
        _pausedUntil = now + _backoff;
    }

    private List<IBatchContainer> Resumed(List<IBatchContainer> result)
    {
        if (_backoff != TimeSpan.Zero)
        {
            _backoff = TimeSpan.Zero;
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("Redis telemetry partition {Stream}: Redis reachable again; reading resumed.", _keyName);
            }
        }

        return result;
    }

    private static bool IsTransient(Exception ex) =>
        ex is RedisConnectionException or RedisTimeoutException or ObjectDisposedException
        || (ex is RedisException && ex.Message.Contains("No connection", StringComparison.OrdinalIgnoreCase));

    private readonly record struct PendingEntry(string Id, long DeliveryCount);
}
