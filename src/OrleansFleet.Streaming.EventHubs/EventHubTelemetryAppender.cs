using Azure.Messaging.EventHubs;

namespace OrleansFleet.Streaming.EventHubs;

/// <summary>
/// The API's producer on Event Hubs: each device's events of a request go as one <see cref="EventData"/> (the wire
/// JSON array) with the device id as partition key, the same format foreign producers write, so the service puts a
/// device on one partition and keeps its order. A batch in Event Hubs belongs to one partition key, so a request with
/// several devices is several sends, in parallel; the task completes only when all are stored (a 202 means durable).
/// What is guaranteed: each device's share is stored whole or not at all. If one send fails the request fails (503)
/// although other devices' shares may be stored; the client's retry of the whole request stores those again, and
/// <c>seq</c> deduplication drops the copies, so every event still has one effect.
/// </summary>
public sealed class EventHubTelemetryAppender(IEventHubSender hub, TimeSpan retryAfter) : ITelemetryAppender
{
    /// <summary>
    /// One: the service, not the API, chooses the partition (it hashes the partition key), so the API need not group
    /// a request by partition before it calls <see cref="AppendAsync"/>.
    /// </summary>
    public int PartitionCount => 1;

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<PartitionAppend> appends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appends);
        var devices = new Dictionary<string, List<TelemetryEvent>>(StringComparer.Ordinal);
        foreach (var append in appends)
        {
            foreach (var e in append.Events)
            {
                if (!devices.TryGetValue(e.DeviceId, out var events))
                {
                    devices[e.DeviceId] = events = [];
                }

                events.Add(e);
            }
        }

        try
        {
            await Task.WhenAll(devices.Select(d => hub.SendAsync([new EventData(TelemetryJson.WriteArray(d.Value))], d.Key, cancellationToken)));
        }
        catch (Exception ex) when (ex is EventHubsException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new TelemetryStreamUnavailableException($"Event Hubs did not confirm the telemetry write: {ex.Message}", ex) { RetryAfter = retryAfter };
        }
    }
}
