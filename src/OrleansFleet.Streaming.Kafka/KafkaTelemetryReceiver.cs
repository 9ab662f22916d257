using System.Globalization;

using Confluent.Kafka;

using Microsoft.Extensions.Logging;

using Orleans.Streams;

namespace OrleansFleet.Streaming.Kafka;

/// <summary>
/// Reads one topic partition (one Orleans queue) for the silo that currently owns it. Orleans' queue balancer decides
/// the owner and creates this receiver there, so the consumer is <em>assigned</em> its partition (<c>Assign</c>) and
/// never <c>Subscribe</c>s: Kafka's group rebalancing would otherwise move partitions on its own and fight Orleans.
/// The consumer group still holds the checkpoint (the committed offset).
/// <para>
/// Orleans semantics this relies on (the same as the Redis provider's, see its receiver): the pulling agent asks for
/// records with <see cref="GetQueueMessagesAsync(int, CancellationToken)"/>, delivers them stream by stream, and hands
/// back through <see cref="MessagesDeliveredAsync(IList{IBatchContainer}, CancellationToken)"/> only the ones whose
/// consumer finished (the device grain applied and persisted them). A delivery Orleans gives up on goes to the
/// partition's <see cref="IStreamFailureHandler"/> (<see cref="OnDeliveryFailed"/>) instead.
/// </para>
/// <para>
/// At least once, with one effect: an offset is stored for commit only when every record read before it is done
/// (<see cref="KafkaOffsetTracker"/>), librdkafka commits the stored offset periodically and on close, and the next
/// owner starts from the committed offset. So a crash redelivers at most what was read since the last commit, and the
/// device grain drops those duplicates by <c>seq</c>.
/// </para>
/// </summary>
internal sealed class KafkaTelemetryReceiver : IQueueAdapterReceiver
{
    private readonly string _providerName;
    private readonly TopicPartition _partition;
    private readonly string _group;
    private readonly KafkaTelemetryStreamOptions _options;
    private readonly KafkaTelemetryProducer _producer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly KafkaOffsetTracker _tracker = new();

    // Records handed to the agent's cache and not yet done, by cache position.
    private readonly Dictionary<long, InFlight> _inFlight = [];

    // Records whose delivery Orleans gave up on, to hand out again.
    private readonly Queue<InFlight> _redeliver = new();

    // Records to dead-letter whose copy the broker has not acknowledged yet (retried before reading on).
    private readonly Queue<(InFlight Record, DeadLetter Why)> _deadLetters = new();

    private IConsumer<byte[]?, byte[]?>? _consumer;
    private bool _assigned;
    private long _position;

    public KafkaTelemetryReceiver(
        string providerName,
        TopicPartition partition,
        string group,
        KafkaTelemetryStreamOptions options,
        KafkaTelemetryProducer producer,
        TimeProvider time,
        ILogger logger)
    {
        _providerName = providerName;
        _partition = partition;
        _group = group;
        _options = options;
        _producer = producer;
        _time = time;
        _logger = logger;
    }

    /// <summary>The offset this receiver last stored for commit (for tests and diagnostics).</summary>
    public long? StoredOffset
    {
        get
        {
            lock (_lock)
            {
                return _tracker.CommitOffset;
            }
        }
    }

    public async Task Initialize(TimeSpan timeout)
    {
        var builder = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Consumer(_options, _group))
            .SetLogHandler((_, m) => KafkaLog.Write(_logger, m))
            .SetErrorHandler((_, e) => KafkaLog.Error(_logger, e));
        if (KafkaClientConfigs.UsesOAuth(_options))
        {
            builder.SetOAuthBearerTokenRefreshHandler(KafkaClientConfigs.OAuthHandler(_options));
        }

        _consumer = builder.Build();
        await TryAssignAsync(timeout);
    }

    [Obsolete("Orleans calls the overload with a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var result = new List<IBatchContainer>();
        // A negative count means "no cache limit" (QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG).
        var limit = maxCount < 0 ? _options.ReadBatchSize : Math.Min(maxCount, _options.ReadBatchSize);
        if (limit <= 0 || _consumer is null || (!_assigned && !await TryAssignAsync(_options.MetadataTimeout)))
        {
            return result;
        }

        if (!await FlushDeadLettersAsync())
        {
            // The dead-letter topic is unreachable: reading on would only pile up more records that cannot be committed.
            return result;
        }

        lock (_lock)
        {
            while (result.Count < limit && _redeliver.TryDequeue(out var again))
            {
                result.Add(Hand(again));
            }
        }

        var now = _time.GetUtcNow();
        while (result.Count < limit)
        {
            ConsumeResult<byte[]?, byte[]?>? record;
            try
            {
                // Zero timeout: takes what librdkafka's background fetcher already has, never blocks the agent's turn.
                record = _consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException ex)
            {
                _logger.LogWarning(ex, "Kafka partition {Partition}: read failed ({Code}); retried on the next pull.", _partition, ex.Error.Code);
                break;
            }

            if (record is null || record.IsPartitionEOF)
            {
                break;
            }

            var inFlight = new InFlight(record.TopicPartitionOffset, record.Message);
            lock (_lock)
            {
                _tracker.Read(record.Offset.Value);
            }

            var decoded = KafkaRecordDecoder.Decode(record.Message, _options.DeviceIdHeader, _options.Limits, now);
            if (decoded.DeadLetter is { } deadLetter)
            {
                _deadLetters.Enqueue((inFlight, deadLetter));
                continue;
            }

            inFlight.Device = KafkaRecordDecoder.DeviceIdOf(record.Message, _options.DeviceIdHeader)!;
            inFlight.Batch = decoded.Batch!;
            lock (_lock)
            {
                result.Add(Hand(inFlight));
            }
        }

        await FlushDeadLettersAsync();
        return result;
    }

    [Obsolete("Orleans calls the overload with a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (_lock)
        {
            foreach (var message in messages)
            {
                // Only records still in flight: one whose delivery failed is being handed out again.
                if (message is TelemetryBatchContainer container && _inFlight.Remove(container.Token.SequenceNumber, out var record))
                {
                    DoneLocked(record.Source.Offset.Value);
                }
            }
        }

        return Task.CompletedTask;
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        if (_consumer is not { } consumer)
        {
            return;
        }

        // Close commits the stored offsets (everything done so far); records still in flight stay uncommitted and
        // the next owner reads them again from the committed offset.
        await Task.Run(() =>
        {
            try
            {
                consumer.Close();
            }
            catch (KafkaException ex)
            {
                _logger.LogWarning(ex, "Kafka partition {Partition}: final commit failed; the next owner redelivers from the last committed offset.", _partition);
            }
            finally
            {
                consumer.Dispose();
            }
        });
        _consumer = null;
        lock (_lock)
        {
            _inFlight.Clear();
            _redeliver.Clear();
            _tracker.Clear();
        }
    }

    /// <summary>Called by the partition's failure handler when Orleans gave up delivering a batch.</summary>
    public void OnDeliveryFailed(PartitionSequenceToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        lock (_lock)
        {
            if (!_inFlight.Remove(token.SequenceNumber, out var record))
            {
                return;
            }

            record.Attempts++;
            _logger.LogWarning("Kafka partition {Partition}: delivery of offset {Offset} failed (attempt {Attempt} of {Max}).", _partition, token.Position, record.Attempts, _options.MaxDeliveryAttempts);
            if (record.Attempts >= _options.MaxDeliveryAttempts)
            {
                _deadLetters.Enqueue((record, new DeadLetter(
                    DeadLetter.KindDeliveryFailed,
                    string.Create(CultureInfo.InvariantCulture, $"the consumer failed on it in {record.Attempts} deliveries (MaxDeliveryAttempts {_options.MaxDeliveryAttempts})"))));
            }
            else
            {
                _redeliver.Enqueue(record);
            }
        }
    }

    private TelemetryBatchContainer Hand(InFlight record)
    {
        var position = ++_position;
        _inFlight[position] = record;
        return new TelemetryBatchContainer(
            StreamId.Create(TelemetryStream.Namespace, record.Device),
            record.Batch,
            new PartitionSequenceToken(position, 0, record.Source.Offset.Value.ToString(CultureInfo.InvariantCulture)));
    }

    private void DoneLocked(long offset)
    {
        if (_tracker.Done(offset) && _tracker.CommitOffset is { } commit && _consumer is { } consumer)
        {
            try
            {
                // Stored locally; librdkafka's auto-commit sends it to the group within CommitInterval and on close.
                consumer.StoreOffset(new TopicPartitionOffset(_partition, commit));
            }
            catch (KafkaException ex)
            {
                _logger.LogWarning(ex, "Kafka partition {Partition}: could not store offset {Offset}; an earlier one stays committed.", _partition, commit);
            }
        }
    }

    private async Task<bool> FlushDeadLettersAsync()
    {
        while (_deadLetters.TryPeek(out var item))
        {
            try
            {
                await _producer.DeadLetterAsync(item.Record.Message, item.Why, item.Record.Source);
            }
            catch (Exception ex) when (ex is TelemetryStreamUnavailableException or KafkaException)
            {
                _logger.LogWarning(ex, "Kafka partition {Partition}: dead-lettering offset {Offset} failed; retried before reading on.", _partition, item.Record.Source.Offset.Value);
                return false;
            }

            _deadLetters.Dequeue();
            StreamingMetrics.RecordDeadLetter(_providerName, item.Why);
            _logger.LogWarning("Kafka partition {Partition}: offset {Offset} dead-lettered to {Topic} ({Kind}): {Reason}", _partition, item.Record.Source.Offset.Value, _options.DeadLetterTopic, item.Why.Kind, item.Why.Reason);
            lock (_lock)
            {
                DoneLocked(item.Record.Source.Offset.Value);
            }
        }

        return true;
    }

    private async Task<bool> TryAssignAsync(TimeSpan timeout)
    {
        var consumer = _consumer!;
        try
        {
            // The checkpoint of this group for this partition; a blocking broker round trip, so off the agent's thread.
            var committed = await Task.Run(() => consumer.Committed([_partition], timeout));
            var offset = committed.Count == 1 && committed[0].Offset != Offset.Unset ? committed[0].Offset : Offset.Beginning;
            consumer.Assign(new TopicPartitionOffset(_partition, offset));
            _assigned = true;
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("Kafka partition {Partition}: assigned to this silo, group {Group}, reading from {Offset}.", _partition, _group, offset);
            }

            return true;
        }
        catch (KafkaException ex)
        {
            // Broker unreachable: the next pull tries again, so a partition never stays unread after the broker is back.
            _logger.LogWarning(ex, "Kafka partition {Partition}: cannot read the committed offset of group {Group} yet ({Code}).", _partition, _group, ex.Error.Code);
            return false;
        }
    }

    private sealed class InFlight(TopicPartitionOffset source, Message<byte[]?, byte[]?> message)
    {
        public TopicPartitionOffset Source { get; } = source;

        public Message<byte[]?, byte[]?> Message { get; } = message;

        public string Device { get; set; } = string.Empty;

        public TelemetryBatch Batch { get; set; } = new([]);

        public int Attempts { get; set; }
    }
}
