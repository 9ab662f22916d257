using System.Collections.Concurrent;

using Confluent.Kafka;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OrleansFleet.Streaming.Kafka;

/// <summary>
/// Builds the Kafka telemetry provider's parts for Orleans' <c>PersistentStreamProvider</c>: the adapter, the queue
/// mapper (one Orleans queue per topic partition), the queue cache each pulling agent uses, and a failure handler per
/// partition. The partition count is read from the topic's metadata at start, so it always matches the topic.
/// </summary>
public sealed class KafkaTelemetryAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly string _group;
    private readonly KafkaTelemetryStreamOptions _options;
    private readonly KafkaTelemetryProducer _producer;
    private readonly PartitionedStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConcurrentDictionary<QueueId, KafkaTelemetryReceiver> _receivers = new();

    private KafkaTelemetryAdapterFactory(
        string name,
        string group,
        KafkaTelemetryStreamOptions options,
        KafkaTelemetryProducer producer,
        int partitions,
        SimpleQueueCacheOptions cacheOptions,
        ILoggerFactory loggerFactory)
    {
        _name = name;
        _group = group;
        _options = options;
        _producer = producer;
        _loggerFactory = loggerFactory;
        // The mapper names the partition Kafka's key partitioner picks for a device. Delivery does not depend on it
        // (a container carries its stream id, and implicit subscriptions need no queue lookup), but Orleans tools and
        // anything that asks "where does this stream live" get the truth.
        _mapper = new PartitionedStreamQueueMapper(name, partitions, KafkaKeyPartitioner.PartitionOf);
        _cache = new SimpleQueueAdapterCache(cacheOptions, name, loggerFactory);
    }

    /// <summary>The partition receivers this silo currently has (for tests and diagnostics).</summary>
    internal IReadOnlyDictionary<QueueId, KafkaTelemetryReceiver> Receivers => _receivers;

    /// <summary>Creates the factory for provider <paramref name="name"/> (Orleans calls it through the configurator).</summary>
    public static KafkaTelemetryAdapterFactory Create(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Reading named options runs the validator: a bad or missing setting stops the silo at start, naming it.
        var options = services.GetRequiredService<IOptionsMonitor<KafkaTelemetryStreamOptions>>().Get(name);
        var serviceId = services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        return new KafkaTelemetryAdapterFactory(
            name,
            options.ConsumerGroup ?? serviceId,
            options,
            services.GetRequiredKeyedService<KafkaTelemetryProducer>(name),
            PartitionCount(options, loggerFactory.CreateLogger<KafkaTelemetryAdapterFactory>()),
            services.GetRequiredService<IOptionsMonitor<SimpleQueueCacheOptions>>().Get(name),
            loggerFactory);
    }

    /// <inheritdoc />
    [Obsolete("Orleans calls the overload with a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    /// <inheritdoc />
    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        Task.FromResult<IQueueAdapter>(new KafkaTelemetryAdapter(
            _name, _group, _options, _producer, (queue, receiver) => _receivers[queue] = receiver, _loggerFactory, TimeProvider.System));

    /// <inheritdoc />
    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    /// <inheritdoc />
    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    /// <inheritdoc />
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new PartitionDeliveryFailureHandler(token =>
        {
            // Routed at call time: the partition's receiver is created after its handler.
            if (_receivers.TryGetValue(queueId, out var receiver))
            {
                receiver.OnDeliveryFailed(token);
            }
        }));

    private static int PartitionCount(KafkaTelemetryStreamOptions options, ILogger logger)
    {
        // Once, at start, before any queue exists: Orleans needs the full list of queues up front.
        var builder = new AdminClientBuilder(KafkaClientConfigs.Admin(options))
            .SetLogHandler((_, m) => KafkaLog.Write(logger, m));
        if (KafkaClientConfigs.UsesOAuth(options))
        {
            builder.SetOAuthBearerTokenRefreshHandler(KafkaClientConfigs.OAuthHandler(options));
        }

        using var admin = builder.Build();
        var topic = options.EffectiveTopic;
        Metadata metadata;
        try
        {
            metadata = admin.GetMetadata(topic, options.MetadataTimeout);
        }
        catch (KafkaException ex)
        {
            throw new InvalidOperationException($"Kafka telemetry stream: cannot read the metadata of topic '{topic}' from {options.EffectiveBootstrapServers} within {options.MetadataTimeout}: {ex.Error.Reason}. Check Fleet:Streaming:Kafka:BootstrapServers (or the Event Hubs namespace) and that the broker is up.", ex);
        }

        var found = metadata.Topics.SingleOrDefault(t => t.Topic == topic);
        if (found is null || found.Error.IsError || found.Partitions.Count == 0)
        {
            throw new InvalidOperationException($"Kafka telemetry stream: topic '{topic}' does not exist on {options.EffectiveBootstrapServers} ({found?.Error.Reason ?? "not in metadata"}). Create it (an event hub on Event Hubs) with the partitions you need, or fix Fleet:Streaming:Kafka:Topic / Fleet:Streaming:EventHubs:Hub.");
        }

        return found.Partitions.Count;
    }
}
