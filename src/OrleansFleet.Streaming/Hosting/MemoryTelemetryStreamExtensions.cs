using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace OrleansFleet.Streaming.Hosting;

/// <summary>The telemetry stream on Orleans memory streams, wired the same way wherever a silo runs it (host, tests, bench).</summary>
public static class MemoryTelemetryStreamExtensions
{
    /// <summary>
    /// How long a batch read off a memory queue stays in the silo's stream cache at least, and how much newer traffic
    /// must be behind it before it goes (<see cref="StreamCacheEvictionOptions"/>; both must hold for a purge).
    /// </summary>
    /// <remarks>
    /// Orleans' defaults (5 and 30 minutes) keep half an hour of traffic in memory: measured at a steady 4,500 events/s
    /// through the API, about 120 bytes per event, so 1 GiB before it levels off. The partition consumer needs a batch
    /// only until it has been delivered (replay after a lost activation comes from the partition grain, and memory
    /// streams do not survive a restart anyway). What the window must outlast is the consumer's lag: the ingest budget
    /// (<see cref="TelemetryLimits.MaxUnappliedEvents"/>, 100,000) caps it, so two minutes hold as long as the silo
    /// applies more than about 830 events/s while producers keep the budget full (the embedded host applies tens of
    /// thousands). A batch purged before delivery would be lost, so the window stays well above that lag.
    /// </remarks>
    public static readonly TimeSpan CacheWindow = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Most appends the pulling agent hands a partition consumer in one delivery (Orleans' <c>BatchContainerBatchSize</c>,
    /// default 1). The consumer calls each device once per delivery with its slice of all of them, so this is what lets
    /// a device call carry more than one event when requests spread over many devices: what is queued is delivered
    /// together instead of one append after another. The queue itself stays bounded by the ingest budget.
    /// </summary>
    public const int DeliveryAppends = 32;

    /// <summary>
    /// How often the pulling agent looks at a queue it found empty (Orleans' <c>GetQueueMsgsTimerPeriod</c>, default
    /// 100 ms). A queue that has data is read again at once; this only bounds how long a quiet partition's first new
    /// append waits, which is ingest-to-apply latency. Eight idle queues polled every 20 ms are 400 local calls/s.
    /// </summary>
    public static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Adds memory streams under <see cref="TelemetryStream.ProviderName"/> with <paramref name="partitions"/> queues,
    /// the appender with its admission budget (<c>Fleet:Ingest:MaxUnappliedEvents</c>), and the (empty) committer.
    /// Orleans' memory provider maps streams to queues with its own hash ring, so a partition stream has one queue
    /// but two partitions may share one; order per partition stream is all the delivery needs.
    /// </summary>
    public static ISiloBuilder AddMemoryTelemetryStreams(this ISiloBuilder silo, int partitions)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        silo.AddMemoryStreams(TelemetryStream.ProviderName, streams =>
        {
            streams.ConfigurePartitioning(partitions);
            streams.ConfigureCacheEviction(eviction => eviction.Configure(options =>
            {
                options.DataMinTimeInCache = CacheWindow / 2;
                options.DataMaxAgeInCache = CacheWindow;
                options.MetadataMinTimeInCache = CacheWindow;
            }));
            streams.ConfigurePullingAgent(agent => agent.Configure(options =>
            {
                options.BatchContainerBatchSize = DeliveryAppends;
                options.GetQueueMsgsTimerPeriod = PollPeriod;
            }));
        });
        silo.Services.AddOptions<TelemetryLimits>();
        // The admission wait holds a client in real time, whatever clock the silo runs on (tests use a fake one).
        silo.Services.AddSingleton(sp => new IngestBudget(sp.GetRequiredService<IOptions<TelemetryLimits>>().Value.MaxUnappliedEvents));
        silo.Services.AddKeyedSingleton<ITelemetryStreamCommitter, MemoryStreamCommitter>(TelemetryStream.ProviderName);
        silo.Services.AddKeyedSingleton<ITelemetryAppender>(TelemetryStream.ProviderName, (sp, _) => new MemoryTelemetryAppender(
            sp.GetRequiredService<IClusterClient>(),
            partitions,
            sp.GetRequiredService<IngestBudget>(),
            sp.GetRequiredService<IOptions<TelemetryLimits>>().Value,
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return silo;
    }
}
