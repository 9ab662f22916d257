using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Statistics;
using Orleans.Streaming.EventHubs;

namespace OrleansFleet.Streaming.EventHubs.Tests;

/// <summary>
/// The production adapter factory with the service replaced through the provider's own seams: its receivers
/// (the protected <c>EventHubReceiverFactory</c>) read a <see cref="FakeEventHub"/> from the offset the checkpointer
/// loaded, and the partition ids come from the fake (<c>GetPartitionIdsAsync</c>) instead of an AMQP connection
/// (<c>InitEventHubClient</c>). Everything else is the real provider: pulling agents, cache, checkpointer, our adapter.
/// </summary>
public sealed class FakeEventHubAdapterFactory : TelemetryEventHubAdapterFactory
{
    private readonly FakeEventHub _hub;

    /// <summary>Creates the factory.</summary>
    public FakeEventHubAdapterFactory(
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
        var hub = serviceProvider.GetRequiredService<FakeEventHub>();
        _hub = hub;
        // The provider passes EventHubConstants.StartOfStream ("-1") when no checkpoint exists.
        EventHubReceiverFactory = (settings, offset, _) => hub.Receiver(settings.Partition, offset == "-1" ? null : offset, fromEnd: offset == "-1" && settings.ReceiverOptions.StartFromNow);
    }

    /// <inheritdoc />
    protected override void InitEventHubClient()
    {
        // No AMQP connection: the fake is the hub.
    }

    /// <inheritdoc />
    protected override Task<string[]> GetPartitionIdsAsync() => Task.FromResult(_hub.PartitionIds);
}
