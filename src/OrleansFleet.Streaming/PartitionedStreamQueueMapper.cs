using Orleans.Streams;

namespace OrleansFleet.Streaming;

/// <summary>
/// Maps a device's stream to its partition with <see cref="DevicePartitioner"/>. Orleans asks an
/// <see cref="IStreamQueueMapper"/> two things: which queue a stream's items go to (producers), and which queues exist
/// (pulling agents). Orleans' own <c>HashRingBasedStreamQueueMapper</c> hashes the whole stream id with its internal
/// Jenkins hash, which no foreign producer can reproduce; this mapper uses only the documented device hash.
/// It also implements <see cref="IConsistentRingStreamQueueMapper"/> so the default queue balancer (which splits the
/// silos' consistent ring) can hand partitions to silos and move them when a silo joins or leaves.
/// </summary>
public sealed class PartitionedStreamQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly QueueId[] _queues;
    private readonly DevicePartitionFunction _partitionOf;

    /// <summary>Creates the mapper for <paramref name="partitionCount"/> partitions of provider <paramref name="providerName"/>.</summary>
    public PartitionedStreamQueueMapper(string providerName, int partitionCount)
        : this(providerName, partitionCount, DevicePartitioner.PartitionOf)
    {
    }

    /// <summary>
    /// Creates the mapper with the transport's own partition function, for transports where the producer's client
    /// picks the partition from the key (Event Hubs' partition-key hash), so the mapper names the partition the
    /// device's records really land in.
    /// </summary>
    public PartitionedStreamQueueMapper(string providerName, int partitionCount, DevicePartitionFunction partitionOf)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        ArgumentNullException.ThrowIfNull(partitionOf);
        _partitionOf = partitionOf;
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
    public QueueId GetQueueForStream(StreamId streamId) => _queues[_partitionOf(streamId.Key.Span, _queues.Length)];

    /// <inheritdoc />
    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        return _queues.Where(q => range.InRange(q.GetUniformHashCode())).ToArray();
    }

    /// <summary>The partition number of a queue this mapper created.</summary>
    public static int PartitionOf(QueueId queueId) => (int)queueId.GetNumericId();
}
