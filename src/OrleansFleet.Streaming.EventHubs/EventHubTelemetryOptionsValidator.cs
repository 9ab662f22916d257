using Microsoft.Extensions.Options;

namespace OrleansFleet.Streaming.EventHubs;

/// <summary>Stops the host at start with the name of every missing Event Hubs setting.</summary>
internal sealed class EventHubTelemetryOptionsValidator : IValidateOptions<EventHubTelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, EventHubTelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Prefix = EventHubTelemetryOptions.SectionName + ":";
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Namespace) && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            missing.Add($"{Prefix}Namespace (or {Prefix}ConnectionString)");
        }

        if (string.IsNullOrWhiteSpace(options.Hub))
        {
            missing.Add($"{Prefix}Hub");
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerGroup))
        {
            missing.Add($"{Prefix}ConsumerGroup");
        }

        if (string.IsNullOrWhiteSpace(options.DeadLetterHub))
        {
            missing.Add($"{Prefix}DeadLetterHub");
        }

        return missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"The Event Hubs telemetry stream needs {string.Join(", ", missing)}.");
    }
}
