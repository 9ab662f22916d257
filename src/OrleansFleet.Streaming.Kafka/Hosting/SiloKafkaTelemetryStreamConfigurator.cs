using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using Orleans.Configuration;
using Orleans.Streams;

namespace OrleansFleet.Streaming.Kafka.Hosting;

/// <summary>
/// Configures the Kafka telemetry provider on a silo: Orleans' persistent-stream machinery (pulling agents, queue
/// balancer, cache) around this provider's adapter factory. Pubsub is implicit-only: device grains subscribe with
/// <c>[ImplicitStreamSubscription]</c>, which is also why a record may be read from any partition (delivery goes by
/// the stream id the record names, not by the queue). The base class's extensions (<c>ConfigurePullingAgent</c>,
/// <c>ConfigurePartitionBalancing</c>, …) remain available.
/// </summary>
public sealed class SiloKafkaTelemetryStreamConfigurator : SiloPersistentStreamConfigurator
{
    /// <summary>Creates the configurator.</summary>
    public SiloKafkaTelemetryStreamConfigurator(string name, Action<Action<IServiceCollection>> configureServicesDelegate)
        : base(name, configureServicesDelegate, KafkaTelemetryAdapterFactory.Create)
    {
        ConfigureDelegate(services => KafkaTelemetryStreamServices.Add(services, name));
        this.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
    }

    /// <summary>Configures the provider's options (brokers, topic, group, dead-letter topic, …).</summary>
    public SiloKafkaTelemetryStreamConfigurator ConfigureKafka(Action<OptionsBuilder<KafkaTelemetryStreamOptions>> configure)
    {
        this.Configure(configure);
        return this;
    }

    /// <summary>Configures the provider's options (brokers, topic, group, dead-letter topic, …).</summary>
    public SiloKafkaTelemetryStreamConfigurator ConfigureKafka(Action<KafkaTelemetryStreamOptions> configure) =>
        ConfigureKafka(builder => builder.Configure(configure));

    /// <summary>Size of each pulling agent's queue cache (records held between reading and committing).</summary>
    public SiloKafkaTelemetryStreamConfigurator ConfigureCache(int cacheSize = SimpleQueueCacheOptions.DEFAULT_CACHE_SIZE)
    {
        this.Configure<SimpleQueueCacheOptions>(builder => builder.Configure(options => options.CacheSize = cacheSize));
        return this;
    }
}
