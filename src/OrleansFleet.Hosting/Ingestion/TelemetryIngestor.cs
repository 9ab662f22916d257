using OrleansFleet.Streaming;

namespace OrleansFleet.Hosting.Ingestion;

/// <summary>
/// Hands a validated request to the telemetry stream: grouped by partition (<see cref="DevicePartitioner"/>), one
/// append per partition, all of them or none (<see cref="ITelemetryAppender"/>). A 5,000-event request is a handful
/// of appends. When the returned task completes the transport has accepted every append: with a durable provider that
/// means stored (Redis confirmed the transaction); with the embedded memory streams, queued in this process.
/// </summary>
public sealed class TelemetryIngestor([FromKeyedServices(TelemetryStream.ProviderName)] ITelemetryAppender appender)
{
    /// <summary>Appends <paramref name="events"/>; returns how many were accepted.</summary>
    /// <exception cref="TelemetryStreamUnavailableException">The stream refused the request (overload, or the transport is down); nothing of it was appended.</exception>
    public async Task<int> IngestAsync(IReadOnlyList<TelemetryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        // Not cancellable: a validated request is appended whole or refused whole, never abandoned halfway.
        await appender.AppendRequestAsync(events, CancellationToken.None);
        return events.Count;
    }
}
