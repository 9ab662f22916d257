using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Orleans.Storage;
using OrleansFleet.Grains;

namespace OrleansFleet.Silo.Hosting;

/// <summary>Wires the Orleans silo for the configured run mode. The mode is configuration, never a code edit.</summary>
internal static class FleetSiloExtensions
{
    /// <summary>The grain storage the Orleans memory streams keep their subscriptions in.</summary>
    private const string PubSubStore = "PubSubStore";

    /// <summary>Adds the silo, the fleet's options and the dashboard to the host.</summary>
    public static WebApplicationBuilder AddFleetSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FleetOptions>()
            .BindConfiguration(FleetOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FleetOptions>, FleetOptionsValidator>();
        builder.Services.AddOptions<FleetClusterOptions>()
            .BindConfiguration(FleetClusterOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<TelemetryLimits>()
            .BindConfiguration(TelemetryLimits.SectionName)
            .ValidateOnStart();

        builder.UseOrleans(silo =>
        {
            // Grain state through Orleans' binary serializer instead of the default JSON one: every device writes its
            // state once per batch, and JSON made that write the largest cost per event (about 85% of the bytes
            // allocated on the direct path, bench/results/findings.md). Every persisted type carries [Alias] and [Id]s,
            // which is what keeps the binary format stable across renames.
            silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
            silo.AddFleetClustering(builder.Configuration);
            silo.AddFleetStorage(builder.Configuration, PubSubStore);
            silo.AddFleetStreaming(builder.Configuration);
            silo.AddDashboard();
        });

        return builder;
    }
}
