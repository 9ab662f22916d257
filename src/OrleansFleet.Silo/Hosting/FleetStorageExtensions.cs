using Microsoft.Extensions.Options;
using OrleansFleet.Grains.Telemetry;
using OrleansFleet.Hosting;
using OrleansFleet.Persistence.AzureTables;

namespace OrleansFleet.Silo.Hosting;

/// <summary>
/// The silo's storage around Orleans' own providers: the storage account and the telemetry history both hosts share
/// (<see cref="FleetStorageAccountExtensions"/>), the telemetry writer's options, and the fleet read model's rows of
/// <c>Fleet:Storage:Provider</c>. Grain state, membership and reminders are bound by Orleans from the <c>Orleans</c>
/// section (see <see cref="FleetModeDefaults"/>).
/// </summary>
internal static class FleetStorageExtensions
{
    /// <summary>Adds the storage account client, the telemetry history store and the read model's rows.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration, read now to choose which stores exist.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddFleetStorage(this IServiceCollection services, IConfiguration configuration)
    {
        FleetStorageProvider provider = FleetStorageAccountExtensions.HistoryProvider(configuration);
        services.AddFleetStorageAccount();
        services.AddFleetTelemetryHistory(provider);

        services.AddTelemetryWriter();
        services.AddOptions<TelemetryWriterOptions>()
            .BindConfiguration(TelemetryWriterOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        if (provider == FleetStorageProvider.AzureTables)
        {
            // The fleet read model: a row per device, written by the index shards; timings bind from Fleet:DeviceSummaries.
            services.AddAzureTableDeviceSummaryStore(options => options
                .BindConfiguration(AzureTableDeviceSummaryStoreOptions.SectionName)
                .Configure<IOptions<FleetStorageOptions>>(static (summaries, storage) => storage.Value.ApplyTo(summaries)));
        }
        else
        {
            services.AddSingleton<IDeviceSummaryStore, MemoryDeviceSummaryStore>();
        }

        return services;
    }
}
