
namespace OrleansFleet.Streaming.Redis.Hosting;

/// <summary>Registers the Redis Streams telemetry provider, like Orleans' own <c>Add…Streams</c> extensions.</summary>
public static class RedisTelemetryStreamHostingExtensions
{
    /// <summary>
    /// Adds the provider to a silo under <paramref name="name"/> (normally <see cref="TelemetryStream.ProviderName"/>):
    /// it reads the partitions the queue balancer assigns to this silo and can also produce.
    /// </summary>
    public static ISiloBuilder AddRedisTelemetryStreams(this ISiloBuilder builder, string name, Action<SiloRedisTelemetryStreamConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        configure(new SiloRedisTelemetryStreamConfigurator(name, configureServices => builder.ConfigureServices(configureServices)));
        return builder;
    }

    /// <summary>Adds the provider to an Orleans client under <paramref name="name"/>, for producing.</summary>
    public static IClientBuilder AddRedisTelemetryStreams(this IClientBuilder builder, string name, Action<ClientRedisTelemetryStreamConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        configure(new ClientRedisTelemetryStreamConfigurator(name, builder));
        return builder;
    }
}
