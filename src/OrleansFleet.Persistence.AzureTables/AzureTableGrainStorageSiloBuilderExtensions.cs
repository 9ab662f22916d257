using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration.Overrides;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>Registers <see cref="AzureTableGrainStorage"/> on a silo, the way Orleans' own storage providers register.</summary>
public static class AzureTableGrainStorageSiloBuilderExtensions
{
    /// <summary>Adds Azure Table grain storage as the provider grains get when they name none.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configureOptions">Sets the provider's options.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddAzureTableGrainStorageAsDefault(this ISiloBuilder builder, Action<AzureTableGrainStorageOptions> configureOptions) =>
        builder.AddAzureTableGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configureOptions);

    /// <summary>Adds Azure Table grain storage as the provider grains get when they name none.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configureOptions">Configures the provider's options builder (bind, validate, configure).</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddAzureTableGrainStorageAsDefault(this ISiloBuilder builder, Action<OptionsBuilder<AzureTableGrainStorageOptions>>? configureOptions = null) =>
        builder.AddAzureTableGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configureOptions);

    /// <summary>Adds an Azure Table grain storage provider named <paramref name="name"/>.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The provider name, as in <c>[PersistentState(stateName, storageName: name)]</c>.</param>
    /// <param name="configureOptions">Sets the provider's options.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddAzureTableGrainStorage(this ISiloBuilder builder, string name, Action<AzureTableGrainStorageOptions> configureOptions) =>
        builder.AddAzureTableGrainStorage(name, ob => ob.Configure(configureOptions));

    /// <summary>Adds an Azure Table grain storage provider named <paramref name="name"/>.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The provider name, as in <c>[PersistentState(stateName, storageName: name)]</c>.</param>
    /// <param name="configureOptions">Configures the provider's options builder (bind, validate, configure).</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddAzureTableGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<AzureTableGrainStorageOptions>>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        IServiceCollection services = builder.Services;

        // Options are named after the provider, so several providers (e.g. "Default" and "Devices") can coexist.
        configureOptions?.Invoke(services.AddOptions<AzureTableGrainStorageOptions>(name));

        // Fills GrainStorageSerializer with the provider's keyed serializer or the silo's default one.
        services.AddTransient<IPostConfigureOptions<AzureTableGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<AzureTableGrainStorageOptions>>();
        services.AddTransient<IConfigurationValidator>(sp =>
            new AzureTableGrainStorageOptionsValidator(sp.GetRequiredService<IOptionsMonitor<AzureTableGrainStorageOptions>>().Get(name), name));

        // AddGrainStorage registers the provider as a keyed IGrainStorage (the key is the name grains use) and, since it
        // is an ILifecycleParticipant<ISiloLifecycle>, subscribes it to the silo lifecycle so the table exists before grains run.
        services.AddGrainStorage(name, static (sp, providerName) => ActivatorUtilities.CreateInstance<AzureTableGrainStorage>(
            sp,
            providerName,
            sp.GetRequiredService<IOptionsMonitor<AzureTableGrainStorageOptions>>().Get(providerName),
            sp.GetProviderClusterOptions(providerName)));
        return builder;
    }
}
