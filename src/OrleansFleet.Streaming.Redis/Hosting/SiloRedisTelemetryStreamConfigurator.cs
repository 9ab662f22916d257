using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using Orleans.Configuration;
using Orleans.Streams;

namespace OrleansFleet.Streaming.Redis.Hosting;

/// <summary>
/// Configures the Redis telemetry provider on a silo: Orleans' persistent-stream machinery (pulling agents, queue
/// balancer, cache) around this provider's adapter factory. Pubsub is implicit-only: device grains subscribe with
/// <c>[ImplicitStreamSubscription]</c>, so no pubsub grain storage is needed. The base class's extensions
/// (<c>ConfigurePullingAgent</c>, <c>ConfigurePartitionBalancing</c>, …) remain available.
/// </summary>
public sealed class SiloRedisTelemetryStreamConfigurator : SiloPersistentStreamConfigurator
{
    /// <summary>Creates the configurator.</summary>
    public SiloRedisTelemetryStreamConfigurator(string name, Action<Action<IServiceCollection>> configureServicesDelegate)
        : base(name, configureServicesDelegate, RedisTelemetryAdapterFactory.Create)
    {
        ConfigureDelegate(services => RedisTelemetryStreamServices.Add(services, name));
        this.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
    }

    /// <summary>Configures the provider's options (connection, prefix, partitions, trimming, …).</summary>
    public SiloRedisTelemetryStreamConfigurator ConfigureRedis(Action<OptionsBuilder<RedisTelemetryStreamOptions>> configure)
    {
        this.Configure(configure);
        return this;
    }

    /// <summary>Configures the provider's options (connection, prefix, partitions, trimming, …).</summary>
    public SiloRedisTelemetryStreamConfigurator ConfigureRedis(Action<RedisTelemetryStreamOptions> configure) =>
        ConfigureRedis(builder => builder.Configure(configure));

    /// <summary>Size of each pulling agent's queue cache (entries held between reading and acknowledging).</summary>
    public SiloRedisTelemetryStreamConfigurator ConfigureCache(int cacheSize = SimpleQueueCacheOptions.DEFAULT_CACHE_SIZE)
    {
        this.Configure<SimpleQueueCacheOptions>(builder => builder.Configure(options => options.CacheSize = cacheSize));
        return this;
    }
}
