using Microsoft.Extensions.Options;
using OrleansFleet.Grains.Telemetry;
using OrleansFleet.Persistence.AzureTables;

namespace OrleansFleet.Silo.Hosting;

/// <summary>
/// Wires storage for the configured <see cref="FleetStorageProvider"/>: the default grain storage (device state), the
/// grain storage the stream provider keeps subscriptions in, the telemetry history store, the fleet read model's rows,
/// the telemetry writer's options, and, for Azure Tables, the history's breaker in <c>/health/ready</c>.
/// </summary>
internal static class FleetStorageExtensions
{
    /// <summary>Adds the storage of the mode <c>Fleet:Storage:Provider</c> names.</summary>
    /// <param name="silo">The silo being built.</param>
    /// <param name="configuration">The host's configuration, read now to choose which services exist.</param>
    /// <param name="pubSubStore">The grain storage name the stream provider uses for subscriptions.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddFleetStorage(this ISiloBuilder silo, IConfiguration configuration, string pubSubStore)
    {
        IServiceCollection services = silo.Services;
        services.AddOptions<FleetStorageOptions>()
            .BindConfiguration(FleetStorageOptions.SectionName)
            .Configure<IConfiguration>(static (options, config) =>
                options.ConnectionString ??= config.GetConnectionString(FleetStorageOptions.ConnectionStringName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FleetStorageOptions>, FleetStorageOptionsValidator>();

        services.AddTelemetryWriter();
        services.AddOptions<TelemetryWriterOptions>()
            .BindConfiguration(TelemetryWriterOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The provider decides which services exist at all, so it is read while the host is built; everything else
        // (account, timings) is read from options when first used, so any configuration source can still set it.
        FleetStorageProvider provider = configuration.GetSection(FleetStorageOptions.SectionName).GetValue<FleetStorageProvider>(nameof(FleetStorageOptions.Provider));
        if (provider == FleetStorageProvider.AzureTables)
        {
            AddAzureTables(silo, pubSubStore);
        }
        else
        {
            // Embedded mode: state in silo memory, history bounded per device. Nothing to install, nothing survives a restart.
            silo.AddMemoryGrainStorageAsDefault();
            silo.AddMemoryGrainStorage(pubSubStore);
            services.AddSingleton<ITelemetryHistoryStore>(static sp =>
                new MemoryTelemetryHistoryStore(sp.GetRequiredService<IOptions<FleetStorageOptions>>().Value.MemoryHistoryPerDevice));
            services.AddSingleton<IDeviceSummaryStore, MemoryDeviceSummaryStore>();
        }

        return silo;
    }

    private static void AddAzureTables(ISiloBuilder silo, string pubSubStore)
    {
        // Grain state keeps the official Azure provider's table and layout (see OrleansFleet.Persistence.AzureTables).
        silo.AddAzureTableGrainStorageAsDefault(UseFleetAccount);
        silo.AddAzureTableGrainStorage(pubSubStore, UseFleetAccount);

        // Retry, breaker and limiter timings bind from Fleet:TelemetryHistory; the account is the one of Fleet:Storage.
        silo.Services.AddAzureTableTelemetryHistoryStore(options => options
            .BindConfiguration(AzureTableTelemetryStoreOptions.SectionName)
            .Configure<IOptions<FleetStorageOptions>>(static (history, storage) => storage.Value.ApplyTo(history)));

        // The fleet read model: a row per device, written by the index shards; timings bind from Fleet:DeviceSummaries.
        silo.Services.AddAzureTableDeviceSummaryStore(options => options
            .BindConfiguration(AzureTableDeviceSummaryStoreOptions.SectionName)
            .Configure<IOptions<FleetStorageOptions>>(static (summaries, storage) => storage.Value.ApplyTo(summaries)));

        // While the breaker is open, readiness fails: load balancers stop sending ingestion here, and operators see why.
        silo.Services.AddHealthChecks().AddCheck<TelemetryStoreHealthCheck>("telemetry-store", tags: ["ready"]);
    }

    private static void UseFleetAccount(OptionsBuilder<AzureTableGrainStorageOptions> options) =>
        options.Configure<IOptions<FleetStorageOptions>>(static (grains, storage) => storage.Value.ApplyTo(grains));
}
