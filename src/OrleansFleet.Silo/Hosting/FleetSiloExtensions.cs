using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
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
            // Embedded mode: a single silo on this machine, reminders in memory; storage as Fleet:Storage:Provider says.
            silo.UseLocalhostClustering();
            // The ports come from configuration when the options are first read, not when the host is built, so
            // every configuration source (command line, environment, test hosts) can still set them.
            silo.Services.AddOptions<EndpointOptions>().PostConfigure<IOptions<FleetClusterOptions>>((endpoint, cluster) =>
            {
                endpoint.SiloPort = cluster.Value.SiloPort;
                endpoint.GatewayPort = cluster.Value.GatewayPort;
            });
            silo.AddFleetStorage(builder.Configuration, PubSubStore);
            silo.UseInMemoryReminderService();
            silo.AddDashboard();
        });

        return builder;
    }
}
