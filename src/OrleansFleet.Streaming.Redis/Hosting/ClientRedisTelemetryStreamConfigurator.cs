using Microsoft.Extensions.Options;

using Orleans.Streams;

namespace OrleansFleet.Streaming.Redis.Hosting;

/// <summary>
/// Configures the Redis telemetry provider on an Orleans client (a producer such as the API in cluster mode): it
/// writes entries straight to Redis; reading is the silos' job.
/// </summary>
public sealed class ClientRedisTelemetryStreamConfigurator : ClusterClientPersistentStreamConfigurator
{
    /// <summary>Creates the configurator.</summary>
    public ClientRedisTelemetryStreamConfigurator(string name, IClientBuilder builder)
        : base(name, builder, RedisTelemetryAdapterFactory.Create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureServices(services => RedisTelemetryStreamServices.Add(services, name));
        this.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
    }

    /// <summary>Configures the provider's options; prefix and partitions must match the silos'.</summary>
    public ClientRedisTelemetryStreamConfigurator ConfigureRedis(Action<OptionsBuilder<RedisTelemetryStreamOptions>> configure)
    {
        this.Configure(configure);
        return this;
    }

    /// <summary>Configures the provider's options; prefix and partitions must match the silos'.</summary>
    public ClientRedisTelemetryStreamConfigurator ConfigureRedis(Action<RedisTelemetryStreamOptions> configure) =>
        ConfigureRedis(builder => builder.Configure(configure));
}
