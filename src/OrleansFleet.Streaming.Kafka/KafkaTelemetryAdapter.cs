using Confluent.Kafka;

using Microsoft.Extensions.Logging;

using Orleans.Streams;

namespace OrleansFleet.Streaming.Kafka;

/// <summary>
/// The Orleans queue adapter: the producer side (<see cref="QueueMessageBatchAsync"/>, reached from
/// <c>IAsyncStream&lt;TelemetryBatch&gt;.OnNextAsync</c> in the API) and the factory of partition receivers.
/// </summary>
internal sealed class KafkaTelemetryAdapter(
    string name,
    string group,
    KafkaTelemetryStreamOptions options,
    KafkaTelemetryProducer producer,
    Action<QueueId, KafkaTelemetryReceiver> onReceiverCreated,
    ILoggerFactory loggerFactory,
    TimeProvider time) : IQueueAdapter
{
    public string Name => name;

    /// <summary>
    /// Not rewindable: the consumer group's committed offset is the checkpoint, consumers cannot ask for older tokens
    /// (which also keeps a consumer that moved between silos from making a new pulling agent skip ahead).
    /// </summary>
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var receiver = new KafkaTelemetryReceiver(
            name,
            new TopicPartition(options.EffectiveTopic, new Partition(PartitionedStreamQueueMapper.PartitionOf(queueId))),
            group,
            options,
            producer,
            time,
            loggerFactory.CreateLogger<KafkaTelemetryReceiver>());
        onReceiverCreated(queueId, receiver);
        return receiver;
    }

    /// <summary>
    /// Writes the device's events keyed by its id. The key, not this adapter, picks the partition (Kafka's murmur2 key
    /// partitioner), so the API's records and those of any other keyed producer for the device share one partition and
    /// keep their order. Completes only after the broker acknowledged every record (acks=all).
    /// </summary>
    /// <exception cref="TelemetryStreamUnavailableException">The broker did not acknowledge in time.</exception>
    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        var (deviceId, all) = ProducedTelemetry.Collect(name, streamId, events, token);

        if (all.Count > 0)
        {
            await producer.ProduceAsync(deviceId, all);
        }
    }
}
