using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OrleansFleet.Grains.Domain;
using OrleansFleet.Hosting.Security;

namespace OrleansFleet.Hosting.Apis;

/// <summary><c>/api/devices/{deviceId}</c>: one device's model, alarms and rules.</summary>
internal static class DevicesApi
{
    /// <summary>Largest rules document: 256 rules of generous size.</summary>
    public const int MaxRulesBytes = 256 * 1024;

    /// <summary>Deepest JSON nesting a rules document may have (array, rule, and one spare level).</summary>
    public const int MaxRulesDepth = 3;

    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var devices = app.MapGroup("/api/devices/{deviceId}").WithTags("Devices")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        // Reads need read; acknowledging and changing rules need operate (and not read: an operator console may hold only operate).
        var reads = devices.MapGroup("").RequireScope(FleetScopes.Read);
        var operations = devices.MapGroup("").RequireScope(FleetScopes.Operate);
        reads.MapGet("/", GetDeviceAsync)
            .WithName("GetDevice")
            .WithSummary("The live model of one device")
            .ProducesProblem(StatusCodes.Status404NotFound);
        reads.MapGet("/alarms", GetAlarmsAsync)
            .WithName("GetDeviceAlarms")
            .WithSummary("A device's alarms: open ones (state=active, the default) or with history (state=all)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        operations.MapPost("/alarms/{alarmId}/ack", AcknowledgeAsync)
            .WithName("AcknowledgeAlarm")
            .WithSummary("Acknowledge an open alarm")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        reads.MapGet("/rules", GetRulesAsync)
            .WithName("GetDeviceRules")
            .WithSummary("A device's rule overrides and the effective rules")
            .WithDescription("404 while the device has neither reported nor had overrides set.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        operations.MapPut("/rules", SetRulesAsync)
            .WithName("SetDeviceRules")
            .WithSummary("Replace a device's rule overrides (a JSON array of rules)")
            .WithDescription("Allowed before the device first reports, so its rules apply from its first event. An empty array removes every override; open alarms of a rule that no longer applies are cleared (rule-removed).")
            .Accepts<AlarmRuleDocument[]>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<Results<Ok<DeviceView>, ProblemHttpResult, ValidationProblem>> GetDeviceAsync(string deviceId, IGrainFactory grains)
    {
        if (Problems.CheckDeviceId(deviceId) is { } invalid)
        {
            return invalid;
        }

        var view = await grains.GetGrain<IDeviceGrain>(deviceId).GetViewAsync();
        return view is null ? Problems.NeverSeen(deviceId) : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<IReadOnlyList<Alarm>>, ProblemHttpResult, ValidationProblem>> GetAlarmsAsync(string deviceId, string? state, IGrainFactory grains)
    {
        if (Problems.CheckDeviceId(deviceId) is { } invalid)
        {
            return invalid;
        }

        if (state is not (null or "active" or "all"))
        {
            return Problems.InvalidField("state", "must be 'active' (open alarms, the default) or 'all' (with cleared history)", "The alarm filter is invalid.");
        }

        var alarms = await grains.GetGrain<IDeviceGrain>(deviceId).GetAlarmsAsync(includeCleared: state == "all");
        return alarms is null ? Problems.NeverSeen(deviceId) : TypedResults.Ok(alarms);
    }

    private static async Task<Results<Ok<Alarm>, ProblemHttpResult, ValidationProblem>> AcknowledgeAsync(string deviceId, string alarmId, IGrainFactory grains)
    {
        if (Problems.CheckDeviceId(deviceId) is { } invalid)
        {
            return invalid;
        }

        if (!DeviceId.IsValid(alarmId))
        {
            return Problems.InvalidField("alarmId", DeviceId.Rule, "The alarm id is invalid.");
        }

        var result = await grains.GetGrain<IDeviceGrain>(deviceId).AcknowledgeAlarmAsync(alarmId);
        return result.Outcome switch
        {
            AcknowledgeOutcome.Acknowledged => TypedResults.Ok(result.Alarm!),
            AcknowledgeOutcome.AlreadyCleared => Problems.Status(StatusCodes.Status409Conflict, "The alarm is already cleared.",
                $"Alarm '{alarmId}' of device '{deviceId}' cleared at {result.Alarm!.ClearedAt:O} ({result.Alarm.ClearReason}); only open alarms can be acknowledged."),
            _ => Problems.Status(StatusCodes.Status404NotFound, "No such alarm.",
                $"Device '{deviceId}' has no alarm '{alarmId}' (cleared alarms beyond the history limit are forgotten)."),
        };
    }

    private static async Task<Results<Ok<DeviceRules>, ProblemHttpResult, ValidationProblem>> GetRulesAsync(string deviceId, IGrainFactory grains)
    {
        if (Problems.CheckDeviceId(deviceId) is { } invalid)
        {
            return invalid;
        }

        // Rules set before the first event are the device's own: they are there to read. Without them and without
        // an event there is nothing about this device, and the answer is the same 404 as the other reads.
        var device = grains.GetGrain<IDeviceGrain>(deviceId);
        var rules = await device.GetRulesAsync();
        return rules.Overrides.Count == 0 && await device.GetViewAsync() is null ? Problems.NeverSeen(deviceId) : TypedResults.Ok(rules);
    }

    private static async Task<Results<Ok<DeviceRules>, ValidationProblem, ProblemHttpResult>> SetRulesAsync(
        string deviceId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        const string Title = "The rules are invalid.";
        if (Problems.CheckDeviceId(deviceId) is { } invalid)
        {
            return invalid;
        }

        if (!request.HasJsonContentType())
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type.", "Send the rules as a JSON array with 'Content-Type: application/json'.");
        }

        using var body = await RequestBody.ReadAsync(request, MaxRulesBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"A rules document may carry at most {MaxRulesBytes} bytes.");
        }

        List<AlarmRule?>? rules;
        try
        {
            // An array of flat rule objects is two levels deep; the reader refuses deeper nesting before building anything.
            var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = MaxRulesDepth });
            rules = JsonSerializer.Deserialize<List<AlarmRule?>>(ref reader, json.Value.SerializerOptions);
        }
        catch (JsonException ex)
        {
            return Problems.InvalidField(ex.Path is { Length: > 0 } path ? path : "$", ex.Message, Title);
        }

        if (rules is null)
        {
            return Problems.InvalidField("$", "must be a JSON array of rules (an empty array removes every override)", Title);
        }

        if (rules.Count > 256)
        {
            return Problems.InvalidField("$", "must hold at most 256 rules", Title);
        }

        var errors = AlarmRuleValidator.Validate(rules);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, Title, "The device's rules were not changed.");
        }

        return TypedResults.Ok(await grains.GetGrain<IDeviceGrain>(deviceId).SetRulesAsync(rules!));
    }
}

/// <summary>One rule of the request that replaces a device's overrides.</summary>
/// <remarks>Documentation only: the body is read as <see cref="AlarmRule"/>s; <see cref="Hosting.FleetOpenApi"/> states which fields may be left out.</remarks>
/// <param name="Id">Identifies the rule; an override with the id of a fleet rule replaces it.</param>
/// <param name="Metric">The metric the rule watches.</param>
/// <param name="Comparison">Which side of the threshold is a breach; default above.</param>
/// <param name="Threshold">The value past which the alarm is raised.</param>
/// <param name="ClearThreshold">The value back past which the alarm clears; defaults to the threshold (no hysteresis).</param>
/// <param name="Severity">How urgent the alarm is; default warning.</param>
/// <param name="HoldTime">How long (hh:mm:ss, in device time) the breach must last before the alarm is raised; none means at once.</param>
/// <param name="Enabled">false switches a fleet rule off for this device; default true.</param>
public sealed record AlarmRuleDocument(string Id, string Metric, ThresholdComparison Comparison, double Threshold, double? ClearThreshold, AlarmSeverity Severity, TimeSpan? HoldTime, bool Enabled);
