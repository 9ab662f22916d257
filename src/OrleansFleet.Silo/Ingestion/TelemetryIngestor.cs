using Orleans.Streams;

namespace OrleansFleet.Silo.Ingestion;

/// <summary>
/// Hands validated events to the telemetry stream: grouped by device, one stream item per device, all devices in
/// parallel. When the returned task completes the stream provider has accepted every item: with a durable provider
/// that means stored (Redis confirmed the append); with the embedded memory streams, queued in this process.
/// </summary>
public sealed class TelemetryIngestor(IClusterClient client)
{
    private readonly IStreamProvider _streams = client.GetStreamProvider(TelemetryStream.ProviderName);

    /// <summary>Publishes <paramref name="events"/>; returns how many were accepted.</summary>
    public async Task<int> IngestAsync(IReadOnlyList<TelemetryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var byDevice = new Dictionary<string, List<TelemetryEvent>>(StringComparer.Ordinal);
        foreach (var telemetry in events)
        {
            if (!byDevice.TryGetValue(telemetry.DeviceId, out var list))
            {
                byDevice[telemetry.DeviceId] = list = [];
            }

            list.Add(telemetry);
        }

        var appends = new Task[byDevice.Count];
        var i = 0;
        foreach (var (deviceId, deviceEvents) in byDevice)
        {
            var stream = _streams.GetStream<TelemetryBatch>(StreamId.Create(TelemetryStream.Namespace, deviceId));
            appends[i++] = stream.OnNextAsync(new TelemetryBatch(deviceEvents));
        }

        await Task.WhenAll(appends);
        return events.Count;
    }
}
