using Microsoft.Extensions.Options;
using OrleansFleet.Grains;

namespace OrleansFleet.Hosting;

/// <summary>The configuration both hosts read and validate at start: the run mode's defaults and the fleet's options.</summary>
internal static class FleetConfigurationExtensions
{
    /// <summary>
    /// Fills in the defaults of <c>Fleet:Mode</c> (before Orleans reads its section: providers, ports, identity) and
    /// registers the mode, fleet and ingest-limit options, validated at start. The silo and the API client call it
    /// alike, so both see the same ClusterId, ServiceId, index shards and limits.
    /// </summary>
    /// <param name="builder">The host.</param>
    /// <param name="client">Whether the host is an Orleans client (no reminder or grain-storage defaults).</param>
    public static WebApplicationBuilder AddFleetConfiguration(this WebApplicationBuilder builder, bool client = false)
    {
        builder.Configuration.AddFleetModeDefaults(client);
        builder.Services.AddOptions<FleetModeOptions>()
            .BindConfiguration(FleetModeOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FleetModeOptions>, FleetModeOptionsValidator>();
        builder.Services.AddOptions<FleetOptions>()
            .BindConfiguration(FleetOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FleetOptions>, FleetOptionsValidator>();
        builder.Services.AddOptions<TelemetryLimits>()
            .BindConfiguration(TelemetryLimits.SectionName)
            .ValidateOnStart();
        return builder;
    }
}
