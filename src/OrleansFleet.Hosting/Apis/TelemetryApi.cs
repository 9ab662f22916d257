using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrleansFleet.Hosting.Security;
using OrleansFleet.Hosting.Ingestion;

namespace OrleansFleet.Hosting.Apis;

/// <summary><c>POST /api/telemetry</c>: the ingestion endpoint.</summary>
internal static class TelemetryApi
{
    public static IEndpointRouteBuilder MapTelemetryApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/telemetry").WithTags("Telemetry").RequireScope(FleetScopes.Ingest)
            .MapPost("/", IngestAsync)
            .WithName("IngestTelemetry")
            .WithSummary("Ingest a batch of device events")
            .WithDescription("A JSON array of at most 5,000 events (4 MiB). The whole request is validated first: one bad event rejects the request and nothing of it is applied. 202 means every event was accepted into the telemetry stream; the device applies it a moment later (poll GET /api/devices/{deviceId} until lastSeq reaches the seq you sent to read it back). Resending after an error or a 503 is safe: an event with a seq is never applied twice.")
            .Accepts<TelemetryEventDocument[]>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Accepted<IngestResponse>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HttpRequest request, TelemetryIngestor ingestor, IngestGate gate, IOptions<TelemetryLimits> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (!request.HasJsonContentType())
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type.",
                $"Send the events as JSON with 'Content-Type: application/json' (got '{request.ContentType ?? "none"}').");
        }

        using var body = await RequestBody.ReadAsync(request, limits.MaxRequestBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "The request body is too large.",
                $"A request may carry at most {limits.MaxRequestBytes} bytes; split the batch.");
        }

        var parsed = TelemetryJson.Parse(body.Span, limits, time.GetUtcNow());
        if (parsed.Errors is { } errors)
        {
            return Problems.Invalid(new Dictionary<string, string[]>(errors), "The telemetry batch is invalid.", "No event of this request was applied.");
        }

        if (gate.Refuse(parsed.Events, request.HttpContext.Response) is { } refused)
        {
            return refused;
        }

        var accepted = await ingestor.IngestAsync(parsed.Events);
        return TypedResults.Accepted((string?)null, new IngestResponse(accepted));
    }
}

/// <summary>The answer to an accepted batch.</summary>
/// <param name="Accepted">How many events were accepted.</param>
public sealed record IngestResponse(int Accepted);

/// <summary>One event of the ingest request. An event carries metrics, a status, or both.</summary>
/// <remarks>Documentation only: the reader is <see cref="TelemetryJson"/>; <see cref="Hosting.FleetOpenApi"/> states what it accepts.</remarks>
/// <param name="DeviceId">1–128 characters of A-Z a-z 0-9 . _ : -</param>
/// <param name="Seq">The device's sequence number, from 1; absent means "apply in arrival order" (a resent event is then applied again).</param>
/// <param name="Timestamp">ISO 8601; no offset means UTC.</param>
/// <param name="Metrics">Metric name to finite number; may be empty (a heartbeat); required unless the event has a status.</param>
/// <param name="Status">The status the device reports; leave it out when the event carries none. It takes effect before the event's readings.</param>
public sealed record TelemetryEventDocument(string DeviceId, long? Seq, DateTimeOffset Timestamp, Dictionary<string, double>? Metrics, string? Status);
