using System.Collections.Concurrent;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OrleansFleet.Streaming.Redis;

/// <summary>
/// Builds the Redis telemetry provider's parts for Orleans' <c>PersistentStreamProvider</c>: the adapter, the queue
/// mapper (device → partition), the queue cache each pulling agent uses, and a failure handler per partition.
/// </summary>
public sealed class RedisTelemetryAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly string _group;
    private readonly RedisTelemetryStreamOptions _options;
    private readonly RedisTelemetryConnection _connection;
    private readonly PartitionedStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly StreamingMetrics _metrics;
    private readonly TelemetryLimits _limits;
    private readonly RedisReceiverRegistry _registry;
    private readonly ConcurrentDictionary<QueueId, RedisTelemetryReceiver> _receivers = new();

    private RedisTelemetryAdapterFactory(
        string name,
        string group,
        RedisTelemetryStreamOptions options,
        RedisTelemetryConnection connection,
        TelemetryLimits limits,
        RedisReceiverRegistry registry,
        SimpleQueueCacheOptions cacheOptions,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        StreamingMetrics metrics)
    {
        _name = name;
        _group = group;
        _options = options;
        _connection = connection;
        _limits = limits;
        _registry = registry;
        _loggerFactory = loggerFactory;
        _time = time;
        _metrics = metrics;
        _mapper = new PartitionedStreamQueueMapper(name, options.Partitions);
        _cache = new SimpleQueueAdapterCache(cacheOptions, name, loggerFactory);
    }

    /// <summary>Creates the factory for provider <paramref name="name"/> (Orleans calls it through the configurator).</summary>
    public static RedisTelemetryAdapterFactory Create(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Reading named options runs RedisTelemetryStreamOptionsValidator: a bad setting stops the silo or client
        // at start with a message naming it.
        var options = services.GetRequiredService<IOptionsMonitor<RedisTelemetryStreamOptions>>().Get(name);
        var serviceId = services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
        return new RedisTelemetryAdapterFactory(
            name,
            options.ConsumerGroup ?? serviceId,
            options,
            services.GetRequiredKeyedService<RedisTelemetryConnection>(name),
            // The API's limits (Fleet:Ingest), so an event the API accepts is never dead-lettered as invalid here.
            services.GetService<IOptions<TelemetryLimits>>()?.Value ?? new TelemetryLimits(),
            services.GetRequiredKeyedService<RedisReceiverRegistry>(name),
            services.GetRequiredService<IOptionsMonitor<SimpleQueueCacheOptions>>().Get(name),
            services.GetRequiredService<ILoggerFactory>(),
            TimeProvider.System,
            services.GetRequiredService<StreamingMetrics>());
    }

    /// <inheritdoc />
    [Obsolete("Orleans calls the overload with a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    /// <inheritdoc />
    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        Task.FromResult<IQueueAdapter>(new RedisTelemetryAdapter(
            _name, _group, _options, _connection, _limits, Register, _loggerFactory, _time, _metrics));

    /// <inheritdoc />
    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    private void Register(QueueId queue, RedisTelemetryReceiver receiver)
    {
        _receivers[queue] = receiver;
        _registry.Add(PartitionedStreamQueueMapper.PartitionOf(queue), receiver);
    }

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
}
