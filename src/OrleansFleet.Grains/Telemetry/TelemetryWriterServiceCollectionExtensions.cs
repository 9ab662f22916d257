using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansFleet.Grains.Observability;

namespace OrleansFleet.Grains.Telemetry;

/// <summary>
/// Registers what <see cref="TelemetryWriterGrain"/> needs besides an <see cref="ITelemetryHistoryStore"/>, and the
/// meters of the device and partition grains (every host of the fleet's grains calls this).
/// </summary>
public static class TelemetryWriterServiceCollectionExtensions
{
    /// <summary>Adds the writer's metrics and options; bind or configure <see cref="TelemetryWriterOptions"/> separately.</summary>
    /// <param name="services">The silo's services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddTelemetryWriter(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddOptions<TelemetryWriterOptions>();
        services.TryAddSingleton<TelemetryWriterMetrics>();
        services.TryAddSingleton<DeviceMetrics>();
        services.TryAddSingleton<PartitionMetrics>();
        return services;
    }
}
