using Microsoft.AspNetCore.Http.HttpResults;

namespace OrleansFleet.Hosting.Apis;

/// <summary>RFC 9457 problem responses used across the API, so every error names its field and rule the same way.</summary>
internal static class Problems
{
    /// <summary>400 with the offending fields (JSON paths) and what is wrong with each.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string title, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail, title: title);

    /// <summary>400 for one bad field.</summary>
    public static ValidationProblem InvalidField(string field, string message, string title) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] }, title);

    /// <summary>A problem with status, title and detail.</summary>
    public static ProblemHttpResult Status(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    /// <summary>404 for a read about a device that has never reported: one answer for every such read.</summary>
    public static ProblemHttpResult NeverSeen(string deviceId) =>
        Status(StatusCodes.Status404NotFound, "Unknown device.", $"Device '{deviceId}' has never reported.");

    /// <summary>400 when a device id in the route breaks the id rule; null when it is fine.</summary>
    public static ValidationProblem? CheckDeviceId(string deviceId) =>
        DeviceId.IsValid(deviceId) ? null : InvalidField("deviceId", DeviceId.Rule, "The device id is invalid.");
}
