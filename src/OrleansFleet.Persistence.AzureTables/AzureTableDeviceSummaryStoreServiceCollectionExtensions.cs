using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>Registers the Azure Tables rows of the fleet read model and the protection around their writes.</summary>
public static class AzureTableDeviceSummaryStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AzureTableDeviceSummaryStore"/> as the <see cref="IDeviceSummaryStore"/> and its write
    /// pipeline: a concurrency limiter, retry with exponential jittered backoff on transient failures, and a timeout
    /// per attempt. No circuit breaker: its only callers are the index shards, a fixed handful of writers that each wait
    /// for their write, so there is no crowd to shed. The options are validated when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configureOptions">Configures the options builder (e.g. <c>BindConfiguration(AzureTableDeviceSummaryStoreOptions.SectionName)</c>).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddAzureTableDeviceSummaryStore(
        this IServiceCollection services,
        Action<OptionsBuilder<AzureTableDeviceSummaryStoreOptions>> configureOptions)
    {
        services.AddValidatedOptions<AzureTableDeviceSummaryStoreOptions, AzureTableDeviceSummaryStoreOptionsValidator>(configureOptions);
        services.AddResiliencePipeline(AzureTableDeviceSummaryStore.PipelineName, static (builder, context) =>
        {
            AzureTableDeviceSummaryStoreOptions settings = context.ServiceProvider.GetRequiredService<IOptions<AzureTableDeviceSummaryStoreOptions>>().Value;
            // The queue is bounded by what the shards hold: a write never carries more rows than its shard's devices.
            builder
                .AddConcurrencyLimiter(TelemetryStoreResilience.Limiter(settings, queueLimit: int.MaxValue))
                .AddRetry(TelemetryStoreResilience.Retry(settings))
                .AddTimeout(settings.AttemptTimeout);
        });
        services.TryAddSingleton<AzureTableDeviceSummaryStore>();
        services.TryAddSingleton<IDeviceSummaryStore>(static sp => sp.GetRequiredService<AzureTableDeviceSummaryStore>());
        return services;
    }

    /// <summary>Registers <see cref="AzureTableDeviceSummaryStore"/> with options set by <paramref name="configureOptions"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configureOptions">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddAzureTableDeviceSummaryStore(
        this IServiceCollection services,
        Action<AzureTableDeviceSummaryStoreOptions> configureOptions) =>
        services.AddAzureTableDeviceSummaryStore(ob => ob.Configure(configureOptions));
}
