using Microsoft.Extensions.Options;

using Orleans.Streams;

namespace OrleansFleet.Streaming.Kafka.Hosting;

/// <summary>
/// Configures the Kafka telemetry provider on an Orleans client (a producer such as the API in cluster mode): it
/// writes records straight to the topic; reading is the silos' job.
/// </summary>
public sealed class ClientKafkaTelemetryStreamConfigurator : ClusterClientPersistentStreamConfigurator
{
    /// <summary>Creates the configurator.</summary>
    public ClientKafkaTelemetryStreamConfigurator(string name, IClientBuilder builder)
        : base(name, builder, KafkaTelemetryAdapterFactory.Create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureServices(services => KafkaTelemetryStreamServices.Add(services, name));
        this.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
    }

    /// <summary>Configures the provider's options; the topic must match the silos'.</summary>
    public ClientKafkaTelemetryStreamConfigurator ConfigureKafka(Action<OptionsBuilder<KafkaTelemetryStreamOptions>> configure)
    {
        this.Configure(configure);
        return this;
    }

    /// <summary>Configures the provider's options; the topic must match the silos'.</summary>
    public ClientKafkaTelemetryStreamConfigurator ConfigureKafka(Action<KafkaTelemetryStreamOptions> configure) =>
        ConfigureKafka(builder => builder.Configure(configure));
}
