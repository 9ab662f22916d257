using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>The options registration every store of this project shares: configured by the caller, validated at start.</summary>
internal static class ValidatedOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <typeparamref name="TOptions"/>, lets <paramref name="configureOptions"/> bind or set them, and registers
    /// <typeparamref name="TValidator"/> so the host refuses to start with a message naming the bad setting.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(
        this IServiceCollection services,
        Action<OptionsBuilder<TOptions>> configureOptions)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(configureOptions);
        OptionsBuilder<TOptions> options = services.AddOptions<TOptions>();
        configureOptions(options);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services;
    }
}
