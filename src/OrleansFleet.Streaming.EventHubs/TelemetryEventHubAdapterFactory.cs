using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Statistics;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace OrleansFleet.Streaming.EventHubs;

/// <summary>
/// Orleans' <see cref="EventHubAdapterFactory"/> with the fleet's delivery-failure handler. Without one the provider
/// skips an event its consumer failed on for <c>MaxEventDeliveryTime</c> and says nothing; here the skip becomes a
/// dead letter (kind <see cref="DeadLetter.KindDeliveryFailed"/>, naming the partition, offset and sequence number of
/// the event, which stays readable in the hub for its retention), stored before the partition's checkpoint moves on.
/// </summary>
public class TelemetryEventHubAdapterFactory : EventHubAdapterFactory
{
    /// <summary>Creates the factory; use <see cref="Create"/>.</summary>
    public TelemetryEventHubAdapterFactory(
        string name,
        EventHubOptions ehOptions,
        EventHubReceiverOptions receiverOptions,
        EventHubStreamCachePressureOptions cacheOptions,
        StreamCacheEvictionOptions cacheEvictionOptions,
        StreamStatisticOptions statisticOptions,
        IEventHubDataAdapter dataAdapter,
        IServiceProvider serviceProvider,
        ILoggerFactory loggerFactory,
        IEnvironmentStatisticsProvider environmentStatisticsProvider)
        : base(name, ehOptions, receiverOptions, cacheOptions, cacheEvictionOptions, statisticOptions, dataAdapter, serviceProvider, loggerFactory, environmentStatisticsProvider)
    {
        var deadLetters = serviceProvider.GetRequiredKeyedService<EventHubDeadLetters>(name);
        StreamFailureHandlerFactory = partition => Task.FromResult<IStreamFailureHandler>(
            new PartitionDeliveryFailureHandler(token => deadLetters.AddDeliveryFailure(partition, token)));
    }

    /// <summary>Creates and initializes a factory of type <typeparamref name="TFactory"/> for provider <paramref name="name"/>, as Orleans' <c>EventHubAdapterFactory.Create</c> does.</summary>
    public static TFactory Create<TFactory>(IServiceProvider services, string name)
        where TFactory : TelemetryEventHubAdapterFactory
    {
        ArgumentNullException.ThrowIfNull(services);
        var factory = ActivatorUtilities.CreateInstance<TFactory>(
            services,
            name,
            services.GetOptionsByName<EventHubOptions>(name),
            services.GetOptionsByName<EventHubReceiverOptions>(name),
            services.GetOptionsByName<EventHubStreamCachePressureOptions>(name),
            services.GetOptionsByName<StreamCacheEvictionOptions>(name),
            services.GetOptionsByName<StreamStatisticOptions>(name),
            services.GetRequiredKeyedService<IEventHubDataAdapter>(name));
        factory.Init();
        return factory;
    }

    /// <summary>Creates and initializes the production factory.</summary>
    public static new IQueueAdapterFactory Create(IServiceProvider services, string name) => Create<TelemetryEventHubAdapterFactory>(services, name);
}
