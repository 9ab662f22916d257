using Microsoft.Extensions.Options;
using OrleansFleet.Persistence.AzureTables;

namespace OrleansFleet.Hosting;

/// <summary>
/// The storage both hosts reach: the storage account's client (which Orleans' Azure providers, the silo's and the
/// client's clustering alike, take by <c>ServiceKey</c>) and the telemetry history of <c>Fleet:Storage:Provider</c>,
/// which the API reads for <c>GET /api/devices/{id}/telemetry</c> and the silo's writer fills.
/// </summary>
internal static class FleetStorageAccountExtensions
{
    /// <summary>Adds <see cref="FleetStorageOptions"/> (validated at start) and the account's keyed <c>TableServiceClient</c>.</summary>
    public static IServiceCollection AddFleetStorageAccount(this IServiceCollection services)
    {
        services.AddOptions<FleetStorageOptions>()
            .BindConfiguration(FleetStorageOptions.SectionName)
            .Configure<IConfiguration>(static (options, config) =>
                options.ConnectionString ??= config.GetConnectionString(FleetStorageOptions.ConnectionStringName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FleetStorageOptions>, FleetStorageOptionsValidator>();

        // Built on first use, after the options were validated at start, so a missing account is reported by name
        // before any Orleans provider asks for the client.
        services.AddKeyedSingleton(FleetStorageOptions.TableServiceKey, static (sp, _) =>
            sp.GetRequiredService<IOptions<FleetStorageOptions>>().Value.CreateTableServiceClient());
        return services;
    }

    /// <summary>Adds the telemetry history store, and for Azure Tables its breaker in <c>/health/ready</c>.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="provider">Where the history lives (<see cref="HistoryProvider"/>).</param>
    public static IServiceCollection AddFleetTelemetryHistory(this IServiceCollection services, FleetStorageProvider provider)
    {
        if (provider == FleetStorageProvider.AzureTables)
        {
            // Retry, breaker and limiter timings bind from Fleet:TelemetryHistory; the account is the one of Fleet:Storage.
            services.AddAzureTableTelemetryHistoryStore(options => options
                .BindConfiguration(AzureTableTelemetryStoreOptions.SectionName)
                .Configure<IOptions<FleetStorageOptions>>(static (history, storage) => storage.Value.ApplyTo(history)));

            // While the breaker is open, readiness fails: load balancers stop sending ingestion here, and operators see why.
            services.AddHealthChecks().AddCheck<TelemetryStoreHealthCheck>("telemetry-store", tags: ["ready"]);
        }
        else
        {
            // Embedded mode: history bounded per device. Nothing to install, nothing survives a restart.
            services.AddSingleton<ITelemetryHistoryStore>(static sp =>
                new MemoryTelemetryHistoryStore(sp.GetRequiredService<IOptions<FleetStorageOptions>>().Value.MemoryHistoryPerDevice));
        }

        return services;
    }

    /// <summary>
    /// The history store of the configuration, read while the host is built because it decides which services exist
    /// at all; everything else (account, timings) is read from options when first used.
    /// </summary>
    public static FleetStorageProvider HistoryProvider(IConfiguration configuration) =>
        configuration.GetSection(FleetStorageOptions.SectionName).GetValue<FleetStorageProvider>(nameof(FleetStorageOptions.Provider));
}
