namespace OrleansFleet.Streaming.Kafka.Hosting;

/// <summary>Registers the Kafka telemetry provider, for a Kafka cluster or for Event Hubs' Kafka endpoint.</summary>
public static class KafkaTelemetryStreamHostingExtensions
{
    /// <summary>
    /// Adds the provider to a silo under <paramref name="name"/> (normally <see cref="TelemetryStream.ProviderName"/>),
    /// on a Kafka cluster: set <see cref="KafkaTelemetryStreamOptions.BootstrapServers"/> through <paramref name="configure"/>.
    /// </summary>
    public static ISiloBuilder AddKafkaTelemetryStreams(this ISiloBuilder builder, string name, Action<SiloKafkaTelemetryStreamConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        configure(new SiloKafkaTelemetryStreamConfigurator(name, configureServices => builder.ConfigureServices(configureServices)));
        return builder;
    }

    /// <summary>
    /// Adds the provider to a silo on Azure Event Hubs' Kafka endpoint: <paramref name="eventHubs"/> fills in the
    /// namespace's address (port 9093, SASL_SSL), the hub as topic, and the authentication (a connection string, or a
    /// managed-identity token for <c>https://{namespace}.servicebus.windows.net/.default</c>).
    /// </summary>
    public static ISiloBuilder AddEventHubsTelemetryStreams(
        this ISiloBuilder builder,
        string name,
        Action<EventHubsEndpointOptions> eventHubs,
        Action<SiloKafkaTelemetryStreamConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(eventHubs);
        return builder.AddKafkaTelemetryStreams(name, streams =>
        {
            streams.ConfigureKafka(options => options.PostConfigure(o => eventHubs(o.EventHubs ??= new EventHubsEndpointOptions())));
            configure?.Invoke(streams);
        });
    }

    /// <summary>Adds the provider to an Orleans client under <paramref name="name"/>, for producing.</summary>
    public static IClientBuilder AddKafkaTelemetryStreams(this IClientBuilder builder, string name, Action<ClientKafkaTelemetryStreamConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        configure(new ClientKafkaTelemetryStreamConfigurator(name, builder));
        return builder;
    }

    /// <summary>Adds the provider to an Orleans client on Event Hubs' Kafka endpoint, for producing.</summary>
    public static IClientBuilder AddEventHubsTelemetryStreams(
        this IClientBuilder builder,
        string name,
        Action<EventHubsEndpointOptions> eventHubs,
        Action<ClientKafkaTelemetryStreamConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(eventHubs);
        return builder.AddKafkaTelemetryStreams(name, streams =>
        {
            streams.ConfigureKafka(options => options.PostConfigure(o => eventHubs(o.EventHubs ??= new EventHubsEndpointOptions())));
            configure?.Invoke(streams);
        });
    }
}
