using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>Registers the Azure Tables telemetry history and the protection around its writes.</summary>
public static class AzureTableTelemetryHistoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AzureTableTelemetryHistoryStore"/> as the <see cref="ITelemetryHistoryStore"/>, its write
    /// resilience pipeline, <see cref="TelemetryStoreCircuit"/>, <see cref="TelemetryStoreMetrics"/> and
    /// <see cref="TelemetryStoreHealthCheck"/>. The options are validated when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configureOptions">Configures the options builder (e.g. <c>BindConfiguration(AzureTableTelemetryStoreOptions.SectionName)</c>).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddAzureTableTelemetryHistoryStore(
        this IServiceCollection services,
        Action<OptionsBuilder<AzureTableTelemetryStoreOptions>> configureOptions)
    {
        services.AddValidatedOptions<AzureTableTelemetryStoreOptions, AzureTableTelemetryStoreOptionsValidator>(configureOptions);

        services.AddMetrics();
        services.TryAddSingleton<TelemetryStoreMetrics>();
        services.TryAddSingleton<TelemetryStoreCircuit>();
        services.TryAddSingleton<TelemetryStoreHealthCheck>();
        services.AddResiliencePipeline(TelemetryStoreResilience.PipelineName, static (builder, context) =>
            TelemetryStoreResilience.Configure(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<AzureTableTelemetryStoreOptions>>().Value,
                context.ServiceProvider.GetRequiredService<TelemetryStoreCircuit>(),
                context.ServiceProvider.GetRequiredService<TelemetryStoreMetrics>()));
        services.TryAddSingleton<AzureTableTelemetryHistoryStore>();
        services.TryAddSingleton<ITelemetryHistoryStore>(static sp => sp.GetRequiredService<AzureTableTelemetryHistoryStore>());
        return services;
    }

    /// <summary>Registers <see cref="AzureTableTelemetryHistoryStore"/> with options set by <paramref name="configureOptions"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configureOptions">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddAzureTableTelemetryHistoryStore(
        this IServiceCollection services,
        Action<AzureTableTelemetryStoreOptions> configureOptions) =>
        services.AddAzureTableTelemetryHistoryStore(ob => ob.Configure(configureOptions));
}
