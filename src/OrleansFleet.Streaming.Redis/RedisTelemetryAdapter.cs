using Microsoft.Extensions.Logging;

using Orleans.Streams;

namespace OrleansFleet.Streaming.Redis;

/// <summary>
/// The Orleans queue adapter: the producer side (<see cref="QueueMessageBatchAsync"/>, reached from
/// <c>IAsyncStream&lt;TelemetryBatch&gt;.OnNextAsync</c> in any client or silo) and the factory of partition receivers.
/// </summary>
internal sealed class RedisTelemetryAdapter(
    string name,
    string group,
    RedisTelemetryStreamOptions options,
    RedisTelemetryConnection connection,
    TelemetryLimits limits,
    Action<QueueId, RedisTelemetryReceiver> onReceiverCreated,
    ILoggerFactory loggerFactory,
    TimeProvider time,
    StreamingMetrics metrics) : IQueueAdapter
{
    private readonly RedisTelemetryAppender _appender = new(options, connection);

    public string Name => name;

    /// <summary>
    /// Not rewindable: the consumer group's acknowledged position is the checkpoint, consumers cannot ask for an
    /// older token. This also keeps handshake tokens out of the way, so a consumer that moved between silos never
    /// makes a new pulling agent skip ahead.
    /// </summary>
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var receiver = new RedisTelemetryReceiver(
            name,
            PartitionedStreamQueueMapper.PartitionOf(queueId),
            group,
            options,
            limits,
            connection,
            time,
            metrics,
            loggerFactory.CreateLogger<RedisTelemetryReceiver>());
        onReceiverCreated(queueId, receiver);
        return receiver;
    }

    /// <summary>
    /// Appends the partition stream's events as one entry (<c>XADD {prefix}:{partition} * p {json}</c>) and completes
    /// only when Redis confirmed it, so a caller that got no exception knows the events are in the stream.
    /// </summary>
    /// <exception cref="TelemetryStreamUnavailableException">Redis did not confirm the write.</exception>
    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        var (partition, all) = ProducedTelemetry.Collect(name, streamId, events, token, options.Partitions);
        if (all.Count > 0)
        {
            await _appender.AppendAsync([new PartitionAppend(partition, all)], CancellationToken.None);
        }
    }
}
