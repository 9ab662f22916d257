namespace OrleansFleet.Silo.Ingestion;

/// <summary>
/// Hands validated events to their devices: grouped by device, one call per device, all devices in parallel.
/// When the returned task completes, every event is durable in its device (applied or held, and persisted).
/// </summary>
public sealed class TelemetryIngestor(IGrainFactory grains)
{
    /// <summary>Delivers <paramref name="events"/>; returns how many were accepted.</summary>
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

        var calls = new Task[byDevice.Count];
        var i = 0;
        foreach (var (deviceId, deviceEvents) in byDevice)
        {
            calls[i++] = grains.GetGrain<IDeviceGrain>(deviceId).ApplyAsync(new TelemetryBatch(deviceEvents));
        }

        await Task.WhenAll(calls);
        return events.Count;
    }
}
