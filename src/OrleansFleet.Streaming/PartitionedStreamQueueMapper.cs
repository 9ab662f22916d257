using System.Buffers.Text;

using Orleans.Streams;

namespace OrleansFleet.Streaming;

/// <summary>
/// Maps partition stream <c>n</c> (<see cref="TelemetryPartitionStream.Of"/>) to queue <c>n</c>, directly. Orleans asks an
/// <see cref="IStreamQueueMapper"/> two things: which queue a stream's items go to (producers), and which queues exist
/// (pulling agents). The partition a device belongs to is decided before that, by the documented device hash
/// (<see cref="DevicePartitioner"/>), so foreign producers writing to the transport directly agree with the API.
/// It also implements <see cref="IConsistentRingStreamQueueMapper"/> so the default queue balancer (which splits the
/// silos' consistent ring) can hand partitions to silos and move them when a silo joins or leaves.
/// </summary>
public sealed class PartitionedStreamQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly QueueId[] _queues;

    /// <summary>Creates the mapper for <paramref name="partitionCount"/> partitions of provider <paramref name="providerName"/>.</summary>
    public PartitionedStreamQueueMapper(string providerName, int partitionCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        _queues = new QueueId[partitionCount];
        // Spread the queues' ring positions evenly, so the consistent-ring balancer gives each silo a fair share.
        var step = uint.MaxValue / (uint)partitionCount;
        for (var i = 0; i < partitionCount; i++)
        {
            _queues[i] = QueueId.GetQueueId(providerName, (uint)i, (uint)i * step);
        }
    }

    /// <summary>Number of partitions.</summary>
    public int PartitionCount => _queues.Length;

    /// <inheritdoc />
    public IEnumerable<QueueId> GetAllQueues() => _queues;

    /// <inheritdoc />
    public QueueId GetQueueForStream(StreamId streamId) => _queues[PartitionOf(streamId, _queues.Length)];

    /// <inheritdoc />
    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        return _queues.Where(q => range.InRange(q.GetUniformHashCode())).ToArray();
    }

    /// <summary>The partition number of a queue this mapper created.</summary>
    public static int PartitionOf(QueueId queueId) => (int)queueId.GetNumericId();

    /// <summary>The partition of a partition stream.</summary>
    /// <exception cref="ArgumentException">The stream is not one of the telemetry partition streams.</exception>
    public static int PartitionOf(StreamId streamId, int partitionCount)
    {
        var key = streamId.Key.Span;
        if (!streamId.GetNamespace().AsSpan().SequenceEqual(TelemetryStream.Namespace)
            || !Utf8Parser.TryParse(key, out int partition, out var length) || length != key.Length
            || partition < 0 || partition >= partitionCount)
        {
            throw new ArgumentException($"Stream '{streamId}' is not a telemetry partition stream (namespace '{TelemetryStream.Namespace}', key 0..{partitionCount - 1}).", nameof(streamId));
        }

        return partition;
    }
}
