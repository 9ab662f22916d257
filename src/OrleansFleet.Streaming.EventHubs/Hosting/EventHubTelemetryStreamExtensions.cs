using Azure.Identity;
using Azure.Messaging.EventHubs.Producer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Streams;

namespace OrleansFleet.Streaming.EventHubs.Hosting;

/// <summary>The telemetry stream on Event Hubs, through Orleans' own provider (<c>Microsoft.Orleans.Streaming.EventHubs</c>).</summary>
public static class EventHubTelemetryStreamExtensions
{
    /// <summary>Key of the dead-letter hub's <see cref="IEventHubSender"/> (the telemetry hub's is keyed by the provider name).</summary>
    public const string DeadLetterSenderKey = "fleet-eventhubs-dead-letters";

    /// <summary>
    /// Adds Orleans' Event Hubs stream provider under <paramref name="name"/> (normally
    /// <see cref="TelemetryStream.ProviderName"/>), set up for the fleet:
    /// the hub from <c>Fleet:Streaming:EventHubs</c> (namespace + <c>DefaultAzureCredential</c>, or a connection
    /// string; validated at start, naming what is missing); the fleet's data adapter; the backlog read on a first start
    /// (<c>StartFromNow = false</c>); Azure Table checkpoints moved only by the partition barrier
    /// (<paramref name="checkpoints"/> chooses the table account, as <c>UseAzureTableCheckpointer</c> would); the
    /// dead-letter hub; and the API's producer and the barrier's committer, keyed by <paramref name="name"/>.
    /// </summary>
    /// <param name="silo">The silo.</param>
    /// <param name="name">The stream provider name.</param>
    /// <param name="checkpoints">Configures the checkpoint table (its <c>TableServiceClient</c>, table name, …).</param>
    /// <param name="configure">More provider configuration (pulling agent, cache, …), or the tests' fake factory.</param>
    public static ISiloBuilder AddEventHubTelemetryStreams(
        this ISiloBuilder silo,
        string name,
        Action<OptionsBuilder<AzureTableStreamCheckpointerOptions>> checkpoints,
        Action<ISiloEventHubStreamConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(checkpoints);
        var services = silo.Services;
        AddProducer(services, name);
        services.AddMetrics();
        services.TryAddSingleton<StreamingMetrics>();
        services.TryAddKeyedSingleton<IEventHubSender>(DeadLetterSenderKey, (sp, _) => CreateSender(sp.GetRequiredService<IOptions<EventHubTelemetryOptions>>().Value, o => o.DeadLetterHub!));
        services.TryAddKeyedSingleton(name, (sp, _) => new EventHubDeadLetters(
            sp.GetRequiredKeyedService<IEventHubSender>(DeadLetterSenderKey),
            sp.GetRequiredService<IOptions<EventHubTelemetryOptions>>().Value.Hub!,
            sp.GetRequiredService<ILogger<EventHubDeadLetters>>(),
            sp.GetRequiredService<StreamingMetrics>(),
            name));
        services.TryAddKeyedSingleton<ITelemetryStreamCommitter>(name, (sp, _) => new EventHubTelemetryCommitter(
            AzureTableStreamQueueCheckpointerFactory.CreateFactory(sp, name),
            sp.GetRequiredKeyedService<EventHubDeadLetters>(name),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddTransient<IConfigurationValidator>(sp => new AzureTableStreamCheckpointerOptionsValidator(
            sp.GetRequiredService<IOptionsMonitor<AzureTableStreamCheckpointerOptions>>().Get(name), name));

        silo.AddEventHubStreams(name, streams =>
        {
            streams.ConfigureEventHub(hub => hub.Configure<IOptions<EventHubTelemetryOptions>>((o, fleet) => ConfigureConnection(o, fleet.Value)));
            streams.UseDataAdapter((sp, n) => new TelemetryEventHubDataAdapter(
                sp.GetRequiredService<Serializer<TelemetryBatch>>(),
                sp.GetRequiredKeyedService<EventHubDeadLetters>(n),
                sp.GetRequiredService<IOptions<TelemetryLimits>>().Value,
                sp.GetService<TimeProvider>() ?? TimeProvider.System));
            // The provider's default, true, starts a partition without a checkpoint at its end and skips the backlog.
            streams.ConfigurePartitionReceiver(receiver => receiver.Configure(o => o.StartFromNow = false));
            // The receivers only read the Azure Table checkpoint; the barrier writes it (EventHubTelemetryCommitter).
            streams.ConfigureCheckpointer<AzureTableStreamCheckpointerOptions>(
                (sp, n) => new BarrierCheckpointerFactory(AzureTableStreamQueueCheckpointerFactory.CreateFactory(sp, n)),
                checkpoints);
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            streams.ConfigureDelegate(s => s.AddKeyedSingleton<IQueueAdapterFactory>(name, (sp, n) => TelemetryEventHubAdapterFactory.Create(sp, (string)n!)));
            configure?.Invoke(streams);
        });
        return silo;
    }

    /// <summary>
    /// Adds the telemetry producer to an Orleans client (the API deployable in the Azure mode): the
    /// <see cref="ITelemetryAppender"/> keyed by <paramref name="name"/>, writing to the hub of
    /// <c>Fleet:Streaming:EventHubs</c> (validated at start). Reading, checkpoints and dead letters are the silos' job.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="name">The stream provider name the silos read (normally <see cref="TelemetryStream.ProviderName"/>).</param>
    public static IClientBuilder AddEventHubTelemetryProducer(this IClientBuilder client, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(name);
        AddProducer(client.Services, name);
        return client;
    }

    // The producer side, the same on a silo and on a client: options, the telemetry hub's sender and the appender.
    private static void AddProducer(IServiceCollection services, string name)
    {
        services.AddOptions<EventHubTelemetryOptions>().BindConfiguration(EventHubTelemetryOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventHubTelemetryOptions>, EventHubTelemetryOptionsValidator>());
        services.AddOptions<TelemetryLimits>();
        services.TryAddKeyedSingleton<IEventHubSender>(name, (sp, _) => CreateSender(sp.GetRequiredService<IOptions<EventHubTelemetryOptions>>().Value, o => o.Hub!));
        services.TryAddKeyedSingleton<ITelemetryAppender>(name, (sp, _) => new EventHubTelemetryAppender(
            sp.GetRequiredKeyedService<IEventHubSender>(name),
            sp.GetRequiredService<IOptions<TelemetryLimits>>().Value.RetryAfter));
    }

    private static void ConfigureConnection(EventHubOptions hub, EventHubTelemetryOptions fleet)
    {
        if (fleet.ConnectionString is { Length: > 0 } connectionString)
        {
            hub.ConfigureEventHubConnection(connectionString, fleet.Hub!, fleet.ConsumerGroup!);
        }
        else
        {
            hub.ConfigureEventHubConnection(fleet.FullyQualifiedNamespace, fleet.Hub!, fleet.ConsumerGroup!, new DefaultAzureCredential());
        }
    }

    private static EventHubProducerSender CreateSender(EventHubTelemetryOptions fleet, Func<EventHubTelemetryOptions, string> hub) =>
        new(fleet.ConnectionString is { Length: > 0 } connectionString
            ? new EventHubProducerClient(connectionString, hub(fleet))
            : new EventHubProducerClient(fleet.FullyQualifiedNamespace, hub(fleet), new DefaultAzureCredential()));
}
