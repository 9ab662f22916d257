using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansFleet.Hosting.Security;
using OrleansFleet.Hosting.Queries;

namespace OrleansFleet.Hosting.Apis;

/// <summary><c>GET /api/fleet/hot</c>: the devices sending most of the traffic, cluster-wide.</summary>
internal static class HotDevicesApi
{
    private const int DefaultTop = 10;
    private const int MaxTop = 100;

    public static IEndpointRouteBuilder MapHotDevicesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/fleet").WithTags("Fleet").RequireScope(FleetScopes.Read)
            .MapGet("/hot", GetHotDevicesAsync)
            .WithName("GetHotDevices")
            .WithSummary("The devices sending most of the traffic over the last minute, with the fleet's ingest rate")
            .WithDescription("Counted at each silo's ingest point (POST /api/telemetry) with a space-saving top-K per interval, merged across silos. Rates are estimates within maxErrorEventsPerSecond.");
        return app;
    }

    private static async Task<Results<Ok<HotDevicesResponse>, ValidationProblem>> GetHotDevicesAsync(
        [AsParameters] HotDevicesRequest request, HotDeviceQueries queries)
    {
        // Parsed here rather than bound as an int, so "top=x" gets the same problem as "top=0" instead of a bind failure.
        var top = DefaultTop;
        if (request.Top is not null && (!int.TryParse(request.Top, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > MaxTop))
        {
            return Problems.InvalidField("top", $"must be from 1 to {MaxTop}", "The hot-device query is invalid.");
        }

        return TypedResults.Ok(await queries.GetAsync(top));
    }
}

/// <summary>The query string of <c>GET /api/fleet/hot</c>.</summary>
/// <param name="Top">How many devices, 1–100 (default 10).</param>
internal sealed record HotDevicesRequest(string? Top);
