using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansFleet.Hosting.Security;

namespace OrleansFleet.Hosting.Apis;

/// <summary>
/// <c>GET /api/devices/{deviceId}/telemetry</c>: a device's telemetry history, newest first, paged. Read side: it
/// reads the history store directly and never runs through the device grain's event loop.
/// </summary>
internal static class DeviceTelemetryApi
{
    /// <summary>Readings per page unless the client asks for another number.</summary>
    public const int DefaultLimit = 100;

    private const string Title = "The telemetry query is invalid.";

    public static IEndpointRouteBuilder MapDeviceTelemetryApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/devices/{deviceId}").WithTags("Devices").RequireScope(FleetScopes.Read)
            .MapGet("/telemetry", GetTelemetryAsync)
            .WithName("GetDeviceTelemetry")
            .WithSummary("A device's telemetry history, newest first")
            .WithDescription($"Readings taken between 'from' and 'to' (ISO 8601, both inclusive, both optional), at most 'limit' per page (1–{TelemetryHistoryKeys.MaxPageSize}, default {DefaultLimit}). Pass the returned continuationToken back, with the same other parameters, for the next page; it is null on the last page.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Ok<TelemetryHistoryResponse>, ValidationProblem, ProblemHttpResult>> GetTelemetryAsync(
        string deviceId,
        string? from,
        string? to,
        string? limit,
        string? continuationToken,
        ITelemetryHistoryStore history,
        IGrainFactory grains,
        CancellationToken cancellationToken)
    {
        if (Problems.CheckDeviceId(deviceId) is { } invalid)
        {
            return invalid;
        }

        // Query strings are parsed here rather than bound, so a bad value gets a problem naming its field.
        if (!TryParseTime(from, out DateTimeOffset? since))
        {
            return Problems.InvalidField("from", "must be an ISO 8601 date and time, e.g. 2026-11-22T10:00:00Z", Title);
        }

        if (!TryParseTime(to, out DateTimeOffset? until))
        {
            return Problems.InvalidField("to", "must be an ISO 8601 date and time, e.g. 2026-11-22T11:00:00Z", Title);
        }

        int pageSize = DefaultLimit;
        if (limit is not null && !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize))
        {
            return Problems.InvalidField("limit", $"must be a whole number from 1 to {TelemetryHistoryKeys.MaxPageSize}", Title);
        }

        try
        {
            TelemetryPage page = await history.QueryAsync(deviceId, since, until, pageSize, continuationToken, cancellationToken);

            // An empty first page may be a device that never reported: ask the device (only then), so that every
            // read about an unknown device answers the same 404.
            if (page.Items.Count == 0 && continuationToken is null && await grains.GetGrain<IDeviceGrain>(deviceId).GetViewAsync() is null)
            {
                return Problems.NeverSeen(deviceId);
            }

            return TypedResults.Ok(new TelemetryHistoryResponse(page.Items, page.ContinuationToken));
        }
        catch (ArgumentException ex)
        {
            // The store checks the range, the limit and the token; its parameter names are the query's field names.
            return Problems.InvalidField(ex.ParamName ?? "query", FirstSentence(ex.Message), Title);
        }
    }

    private static bool TryParseTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        // No offset means UTC, as in ingestion.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    /// <summary>The message without the " (Parameter 'x')" suffix and the actual value .NET appends.</summary>
    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}

/// <summary>One page of <c>GET /api/devices/{deviceId}/telemetry</c>.</summary>
/// <param name="Items">The readings, newest first.</param>
/// <param name="ContinuationToken">Pass it back for the next page; <c>null</c> on the last page.</param>
public sealed record TelemetryHistoryResponse(IReadOnlyList<TelemetryEvent> Items, string? ContinuationToken);
