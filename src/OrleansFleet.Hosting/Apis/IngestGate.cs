using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansFleet.Grains.HotDevices;
using OrleansFleet.Hosting.Ingestion;

namespace OrleansFleet.Hosting.Apis;

/// <summary>
/// What every valid request passes before it is ingested: it is counted by this silo's hot-device tracker (refused
/// requests too, so a throttled runaway device stays visible), then checked against the per-device limit.
/// </summary>
internal sealed class IngestGate(HotDeviceTracker hotDevices, DeviceIngestLimiter limiter, IngestMetrics metrics)
{
    /// <summary><c>null</c> when the request may go on; otherwise the 429 to answer, with <c>Retry-After</c> set on <paramref name="response"/>.</summary>
    public ProblemHttpResult? Refuse(IReadOnlyList<TelemetryEvent> events, HttpResponse response)
    {
        hotDevices.Record(events);
        metrics.Received(events.Count);
        if (limiter.TryAdmit(events) is not { } refusal)
        {
            return null;
        }

        metrics.Refused(events.Count);

        var detail = $"Device '{refusal.DeviceId}' sent {refusal.Requested} events in this request; it may send {refusal.Available} now " +
            $"({refusal.EventsPerSecond} events/s, bursts of {refusal.Burst}). No event of this request was applied.";
        if (refusal.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            detail += $" More than {refusal.Burst} events of one device never pass at once: split the request.";
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "A device is over its ingest limit.",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["deviceId"] = refusal.DeviceId });
    }
}
