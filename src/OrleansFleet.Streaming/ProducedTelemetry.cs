using System.Globalization;

using Orleans.Streams;

namespace OrleansFleet.Streaming;

/// <summary>
/// What every telemetry queue adapter checks before it writes: the items a producer hands to
/// <c>IQueueAdapter.QueueMessageBatchAsync</c> are <see cref="TelemetryBatch"/>es for a partition stream
/// (<see cref="TelemetryPartitionStream.Of"/>) whose events all belong to that partition, and the providers are not
/// rewindable. Kept in one place so each transport only has to write.
/// </summary>
public static class ProducedTelemetry
{
    /// <summary>Checks the producer's items and returns the partition and its events, in order.</summary>
    /// <exception cref="NotSupportedException">A sequence token was given.</exception>
    /// <exception cref="ArgumentException">The stream is not a partition stream, an item is not a batch, or an event belongs to another partition.</exception>
    public static (int Partition, List<TelemetryEvent> Events) Collect<T>(string provider, StreamId streamId, IEnumerable<T> items, StreamSequenceToken? token, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (token is not null)
        {
            throw new NotSupportedException($"Stream provider '{provider}' is not rewindable; producers cannot set sequence tokens.");
        }

        var partition = PartitionedStreamQueueMapper.PartitionOf(streamId, partitionCount);
        var events = new List<TelemetryEvent>();
        foreach (var item in items)
        {
            if (item is not TelemetryBatch batch)
            {
                throw new ArgumentException($"Stream provider '{provider}' carries {nameof(TelemetryBatch)} items, not {typeof(T).Name}.", nameof(items));
            }

            foreach (var e in batch.Events)
            {
                if (DevicePartitioner.PartitionOf(e.DeviceId, partitionCount) != partition)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Event of device '{e.DeviceId}' sent to the stream of partition {partition}; it belongs to partition {DevicePartitioner.PartitionOf(e.DeviceId, partitionCount)}."), nameof(items));
                }

                events.Add(e);
            }
        }

        return (partition, events);
    }
}
