using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansFleet.Streaming.EventHubs;
using OrleansFleet.Streaming.Redis;

namespace OrleansFleet.Hosting.Health;

/// <summary>
/// The readiness checks of the dependencies the run mode uses (tag <see cref="ReadyTag"/>, served at
/// <c>/health/ready</c>): Redis when it carries the telemetry stream, Table storage when it holds membership, grain
/// state or the telemetry history, Event Hubs when it carries the stream. <c>/health/live</c> runs none of them: a
/// dependency outage must take the silo out of rotation, never get it restarted.
/// </summary>
internal static class FleetHealthCheckExtensions
{
    /// <summary>The tag of every check <c>/health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>How long one probe may take before its dependency counts as down.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Adds the dependency checks for the providers <paramref name="configuration"/> selects.</summary>
    public static IServiceCollection AddFleetDependencyHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks();
        var streaming = configuration.GetSection(FleetStreamingOptions.SectionName).Get<FleetStreamingOptions>() ?? new();
        if (streaming.Provider == StreamingProvider.Redis)
        {
            checks.Add(new HealthCheckRegistration("redis", sp => new RedisTelemetryHealthCheck(
                sp.GetRequiredKeyedService<RedisTelemetryConnection>(TelemetryStream.ProviderName), ProbeTimeout), null, [ReadyTag]));
        }
        else if (streaming.Provider == StreamingProvider.EventHubs)
        {
            checks.Add(new HealthCheckRegistration("eventhubs", sp => new EventHubTelemetryHealthCheck(
                sp.GetRequiredKeyedService<IEventHubSender>(TelemetryStream.ProviderName), ProbeTimeout), null, [ReadyTag]));
        }

        if (UsesTables(configuration))
        {
            checks.Add(new HealthCheckRegistration("tables", sp => new TableStorageHealthCheck(
                sp.GetRequiredKeyedService<TableServiceClient>(FleetStorageOptions.TableServiceKey), ProbeTimeout), null, [ReadyTag]));
        }

        return services;
    }

    /// <summary>Whether the history or any Orleans provider section is on the shared storage account.</summary>
    private static bool UsesTables(IConfiguration configuration)
    {
        if (configuration.GetSection(FleetStorageOptions.SectionName).GetValue<FleetStorageProvider>(nameof(FleetStorageOptions.Provider)) == FleetStorageProvider.AzureTables)
        {
            return true;
        }

        string[] sections = ["Orleans:Clustering", "Orleans:Reminders", $"Orleans:GrainStorage:{FleetModeDefaults.DefaultStore}", $"Orleans:GrainStorage:{FleetModeDefaults.PubSubStore}"];
        return sections.Any(section => configuration[$"{section}:ServiceKey"] == FleetStorageOptions.TableServiceKey);
    }
}
