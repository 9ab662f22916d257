using Microsoft.Extensions.Options;
using OrleansFleet.Grains.Telemetry;
using OrleansFleet.Persistence.AzureTables;

namespace OrleansFleet.Silo.Hosting;

/// <summary>
/// The storage around Orleans' own providers: the storage account's client (which Orleans' Azure providers take by
/// <c>ServiceKey</c>), the telemetry history store and the fleet read model's rows of <c>Fleet:Storage:Provider</c>,
/// the telemetry writer's options, and, for Azure Tables, the history's breaker in <c>/health/ready</c>. Grain state,
/// membership and reminders are bound by Orleans from the <c>Orleans</c> section (see <see cref="FleetModeDefaults"/>).
/// </summary>
internal static class FleetStorageExtensions
{
    /// <summary>Adds the storage account client and the telemetry history store.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration, read now to choose which history store exists.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddFleetStorage(this IServiceCollection services, IConfiguration configuration)
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

        services.AddTelemetryWriter();
        services.AddOptions<TelemetryWriterOptions>()
            .BindConfiguration(TelemetryWriterOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The history store decides which services exist at all, so it is read while the host is built; everything
        // else (account, timings) is read from options when first used, so any configuration source can still set it.
        FleetStorageProvider provider = configuration.GetSection(FleetStorageOptions.SectionName).GetValue<FleetStorageProvider>(nameof(FleetStorageOptions.Provider));
        if (provider == FleetStorageProvider.AzureTables)
        {
            // Retry, breaker and limiter timings bind from Fleet:TelemetryHistory; the account is the one of Fleet:Storage.
            services.AddAzureTableTelemetryHistoryStore(options => options
                .BindConfiguration(AzureTableTelemetryStoreOptions.SectionName)
                .Configure<IOptions<FleetStorageOptions>>(static (history, storage) => storage.Value.ApplyTo(history)));

            // The fleet read model: a row per device, written by the index shards; timings bind from Fleet:DeviceSummaries.
            services.AddAzureTableDeviceSummaryStore(options => options
                .BindConfiguration(AzureTableDeviceSummaryStoreOptions.SectionName)
                .Configure<IOptions<FleetStorageOptions>>(static (summaries, storage) => storage.Value.ApplyTo(summaries)));

            // While the breaker is open, readiness fails: load balancers stop sending ingestion here, and operators see why.
            services.AddHealthChecks().AddCheck<TelemetryStoreHealthCheck>("telemetry-store", tags: ["ready"]);
        }
        else
        {
            // Embedded mode: history bounded per device. Nothing to install, nothing survives a restart.
            services.AddSingleton<ITelemetryHistoryStore>(static sp =>
                new MemoryTelemetryHistoryStore(sp.GetRequiredService<IOptions<FleetStorageOptions>>().Value.MemoryHistoryPerDevice));
            services.AddSingleton<IDeviceSummaryStore, MemoryDeviceSummaryStore>();
        }

        return services;
    }
}
