using System.Globalization;
using System.Text;

using Confluent.Kafka;

using ErrorCode = Confluent.Kafka.ErrorCode;

using Microsoft.Extensions.Logging;

namespace OrleansFleet.Streaming.Kafka;

/// <summary>
/// The provider's one producer (a librdkafka producer is thread-safe and batches concurrent sends), for telemetry and
/// dead letters. A send completes only when the broker acknowledged the record with acks=all; if that does not happen
/// within <see cref="KafkaTelemetryStreamOptions.ProduceTimeout"/> (brokers down, partition leaderless), the caller
/// gets <see cref="TelemetryStreamUnavailableException"/>, which the API answers with 503 + Retry-After.
/// </summary>
public sealed class KafkaTelemetryProducer : IDisposable
{
    private readonly KafkaTelemetryStreamOptions _options;
    private readonly Lazy<IProducer<byte[]?, byte[]?>> _producer;

    /// <summary>Creates the producer (connecting on first use).</summary>
    public KafkaTelemetryProducer(KafkaTelemetryStreamOptions options, ILogger<KafkaTelemetryProducer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _producer = new(() =>
        {
            var builder = new ProducerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Producer(options))
                .SetLogHandler((_, m) => KafkaLog.Write(logger, m))
                .SetErrorHandler((_, e) => KafkaLog.Error(logger, e));
            if (KafkaClientConfigs.UsesOAuth(options))
            {
                builder.SetOAuthBearerTokenRefreshHandler(KafkaClientConfigs.OAuthHandler(options));
            }

            return builder.Build();
        });
    }

    /// <summary>
    /// Writes one device's events, keyed by its id, and returns when every record is acknowledged. Events go in as few
    /// records as <see cref="KafkaTelemetryStreamOptions.MaxRecordBytes"/> allows; records with one key share a partition
    /// and the idempotent producer keeps their order.
    /// </summary>
    /// <exception cref="TelemetryStreamUnavailableException">The broker did not acknowledge in time.</exception>
    public async Task ProduceAsync(string deviceId, IReadOnlyList<TelemetryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var key = Encoding.UTF8.GetBytes(deviceId);
        var sends = Chunk(events).Select(value => SendAsync(_options.EffectiveTopic, new Message<byte[]?, byte[]?> { Key = key, Value = value })).ToArray();
        await Task.WhenAll(sends);
    }

    /// <summary>
    /// Copies a record to the dead-letter topic with its key, value and headers, plus headers <c>reason</c>, <c>kind</c>,
    /// <c>source</c> (topic/partition) and <c>source-id</c> (offset); returns when the broker acknowledged it.
    /// </summary>
    public Task DeadLetterAsync(Message<byte[]?, byte[]?> original, DeadLetter deadLetter, TopicPartitionOffset source)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(deadLetter);
        ArgumentNullException.ThrowIfNull(source);
        var headers = new Headers();
        foreach (var header in original.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add(DeadLetter.ReasonField, Encoding.UTF8.GetBytes(deadLetter.Reason));
        headers.Add(DeadLetter.KindField, Encoding.UTF8.GetBytes(deadLetter.Kind));
        headers.Add(DeadLetter.SourceField, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{source.Topic}/{source.Partition.Value}")));
        headers.Add(DeadLetter.SourceIdField, Encoding.UTF8.GetBytes(source.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        return SendAsync(_options.DeadLetterTopic, new Message<byte[]?, byte[]?> { Key = original.Key, Value = original.Value, Headers = headers });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            // Whatever is still queued has not been acknowledged to anyone; give it a moment, then drop it.
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }

    private async Task SendAsync(string topic, Message<byte[]?, byte[]?> message)
    {
        try
        {
            await _producer.Value.ProduceAsync(topic, message);
        }
        catch (ProduceException<byte[]?, byte[]?> ex) when (IsUnavailable(ex.Error))
        {
            throw new TelemetryStreamUnavailableException($"Kafka did not acknowledge the write to '{topic}': {ex.Error.Reason} ({ex.Error.Code})", ex)
            {
                RetryAfter = TimeSpan.FromSeconds(5),
            };
        }
        catch (KafkaException ex) when (IsUnavailable(ex.Error))
        {
            throw new TelemetryStreamUnavailableException($"Kafka is unavailable for '{topic}': {ex.Error.Reason} ({ex.Error.Code})", ex)
            {
                RetryAfter = TimeSpan.FromSeconds(5),
            };
        }
    }

    // Errors that pass with time: no broker, no leader, a timeout, a full local queue. Others (record too large,
    // not authorized, unknown topic) are configuration errors and surface as they are.
    private static bool IsUnavailable(Error error) => error.Code is
        ErrorCode.Local_MsgTimedOut or ErrorCode.Local_TimedOut or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown
        or ErrorCode.Local_QueueFull or ErrorCode.RequestTimedOut or ErrorCode.LeaderNotAvailable or ErrorCode.NotLeaderForPartition
        or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend or ErrorCode.BrokerNotAvailable or ErrorCode.NetworkException
        or ErrorCode.ThrottlingQuotaExceeded;

    private List<byte[]> Chunk(IReadOnlyList<TelemetryEvent> events)
    {
        var chunks = new List<byte[]>();
        Split(events, chunks);
        return chunks;
    }

    private void Split(IReadOnlyList<TelemetryEvent> events, List<byte[]> chunks)
    {
        var value = TelemetryWireWriter.WriteArray(events);
        if (value.Length <= _options.MaxRecordBytes || events.Count == 1)
        {
            chunks.Add(value);
            return;
        }

        // Halves keep seq order across the records (they are sent in this order to one partition).
        var half = events.Count / 2;
        Split([.. events.Take(half)], chunks);
        Split([.. events.Skip(half)], chunks);
    }
}
