using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansFleet.Hosting.Security;
using OrleansFleet.Hosting.Queries;

namespace OrleansFleet.Hosting.Apis;

/// <summary><c>/api/alarms</c> and <c>/api/fleet</c>: fleet-wide queries, served by the read model.</summary>
internal static class FleetApi
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1_000;

    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/alarms").WithTags("Fleet").RequireScope(FleetScopes.Read)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .MapGet("/", GetAlarmsAsync)
            .WithName("GetFleetAlarms")
            .WithSummary("Open alarms across the fleet, paged in (deviceId, alarmId) order");
        app.MapGroup("/api/fleet").WithTags("Fleet").RequireScope(FleetScopes.Read)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .MapGet("/summary", GetSummaryAsync)
            .WithName("GetFleetSummary")
            .WithSummary("Devices by status and open alarms by severity");
        return app;
    }

    private static async Task<Results<Ok<AlarmPage>, ValidationProblem>> GetAlarmsAsync(
        FleetQueries queries, string? state, string? severity, string? limit, string? continuationToken)
    {
        const string Title = "The alarm query is invalid.";
        if (state is not (null or "active"))
        {
            return Problems.InvalidField("state", "must be 'active' (every alarm not yet cleared); cleared history is per device", Title);
        }

        AlarmSeverity? severityFilter = null;
        if (severity is not null)
        {
            if (!Enum.TryParse<AlarmSeverity>(severity, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(severity, out _))
            {
                return Problems.InvalidField("severity", "must be 'info', 'warning' or 'critical'", Title);
            }

            severityFilter = parsed;
        }

        // Parsed here rather than bound: a bound int answers "limit=abc" with an exception (500), not a problem naming the field.
        var pageSize = DefaultPageSize;
        if ((limit is not null && !int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pageSize)) || pageSize is < 1 or > MaxPageSize)
        {
            return Problems.InvalidField("limit", $"must be from 1 to {MaxPageSize}", Title);
        }

        AlarmPageKey? after = null;
        if (continuationToken is not null && !TryDecode(continuationToken, out after))
        {
            return Problems.InvalidField("continuationToken", "is not a token this API returned", Title);
        }

        var (items, next) = await queries.GetOpenAlarmsAsync(after, pageSize, severityFilter);
        return TypedResults.Ok(new AlarmPage(items, next is null ? null : Encode(next)));
    }

    private static async Task<Ok<FleetSummaryResponse>> GetSummaryAsync(FleetQueries queries) =>
        TypedResults.Ok(FleetSummaryResponse.From(await queries.GetSummaryAsync()));

    // The token is the last key of the page, so the next page starts right after it even if alarms came and went.
    private static string Encode(AlarmPageKey key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key.DeviceId}/{key.AlarmId}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string token, out AlarmPageKey? key)
    {
        key = null;
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(bytes, 0, written).Split('/');
        if (parts.Length != 2 || !DeviceId.IsValid(parts[0]) || !DeviceId.IsValid(parts[1]))
        {
            return false;
        }

        key = new AlarmPageKey(parts[0], parts[1]);
        return true;
    }
}

/// <summary>A page of fleet alarms.</summary>
/// <param name="Items">The alarms.</param>
/// <param name="ContinuationToken">Pass it back for the next page; <c>null</c> on the last page.</param>
public sealed record AlarmPage(IReadOnlyList<Alarm> Items, string? ContinuationToken);

/// <summary>The fleet summary with every status and severity named, zeros included.</summary>
/// <param name="Devices">Devices that have reported.</param>
/// <param name="DevicesByStatus">Status name → device count.</param>
/// <param name="Offline">Devices currently offline.</param>
/// <param name="ActiveAlarms">Open alarms in all.</param>
/// <param name="ActiveAlarmsBySeverity">Severity name → open alarm count.</param>
public sealed record FleetSummaryResponse(int Devices, IReadOnlyDictionary<string, int> DevicesByStatus, int Offline, int ActiveAlarms, IReadOnlyDictionary<string, int> ActiveAlarmsBySeverity)
{
    internal static FleetSummaryResponse From(FleetSummary summary) => new(
        summary.Devices,
        Enum.GetValues<DeviceStatus>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => summary.DevicesByStatus.GetValueOrDefault(s)),
        summary.Offline,
        summary.ActiveAlarmsBySeverity.Values.Sum(),
        Enum.GetValues<AlarmSeverity>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => summary.ActiveAlarmsBySeverity.GetValueOrDefault(s)));
}
