using Orleans.Streams;

namespace OrleansFleet.Streaming;

/// <summary>
/// What every telemetry queue adapter checks before it writes: the items a producer hands to
/// <c>IQueueAdapter.QueueMessageBatchAsync</c> are one device's <see cref="TelemetryBatch"/>es for that device's stream,
/// and the providers are not rewindable. Kept in one place so each transport only has to write.
/// </summary>
public static class ProducedTelemetry
{
    /// <summary>Checks the producer's items and returns the device and its events, in order.</summary>
    /// <exception cref="NotSupportedException">A sequence token was given.</exception>
    /// <exception cref="ArgumentException">The stream key is not a valid device id, an item is not a batch, or an event is another device's.</exception>
    public static (string DeviceId, List<TelemetryEvent> Events) Collect<T>(string provider, StreamId streamId, IEnumerable<T> items, StreamSequenceToken? token)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (token is not null)
        {
            throw new NotSupportedException($"Stream provider '{provider}' is not rewindable; producers cannot set sequence tokens.");
        }

        var deviceId = streamId.GetKeyAsString();
        if (!DeviceId.IsValid(deviceId))
        {
            throw new ArgumentException($"The stream key (device id) {DeviceId.Rule}.", nameof(streamId));
        }

        var events = new List<TelemetryEvent>();
        foreach (var item in items)
        {
            if (item is not TelemetryBatch batch)
            {
                throw new ArgumentException($"Stream provider '{provider}' carries {nameof(TelemetryBatch)} items, not {typeof(T).Name}.", nameof(items));
            }

            foreach (var e in batch.Events)
            {
                if (!string.Equals(e.DeviceId, deviceId, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Event of device '{e.DeviceId}' sent to the stream of device '{deviceId}'.", nameof(items));
                }

                events.Add(e);
            }
        }

        return (deviceId, events);
    }
}
