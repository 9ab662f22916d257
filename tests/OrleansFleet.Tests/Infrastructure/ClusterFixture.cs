using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime.Hosting;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansFleet.Grains;
using OrleansFleet.Grains.Telemetry;
using OrleansFleet.Hosting.Queries;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// One in-process Orleans cluster shared by a test collection: the real grains on memory storage, with a write
/// counter in front of the default storage and, when asked, a fake clock that drives grain timers.
/// </summary>
public abstract class ClusterFixtureBase(FakeTimeProvider? time, int? writerMaxBatch = null, bool durableOfflineWatch = true) : IAsyncLifetime
{
    private const string InnerStorage = "inner";

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The fake clock the silo runs on, or null for the real one.</summary>
    public FakeTimeProvider? Time => time;

    /// <summary>The silo's view of <see cref="Time"/>, whose timers a test can make fire early; null on the real clock.</summary>
    public EarlyFiringTimeProvider? Timers { get; } = time is null ? null : new EarlyFiringTimeProvider(time);

    public FleetOptions Options { get; } = TestRules.Options(o => (o.IndexShards, o.DurableOfflineWatch) = (4, durableOfflineWatch));

    /// <summary>What the telemetry writer grains have been handed, per device.</summary>
    internal WriterCallCounter WriterCalls { get; } = new();

    /// <summary>The telemetry history the writer grain flushes to: in memory, counting calls, failing on request.</summary>
    internal CountingHistoryStore History { get; } = new(new MemoryTelemetryHistoryStore());

    /// <summary>The fleet read model's rows: in memory, counting what each shard write carries.</summary>
    internal CountingSummaryStore Summaries { get; } = new(new MemoryDeviceSummaryStore());

    internal CountingGrainStorage Storage => (CountingGrainStorage)Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    public FleetQueries Queries => new(Grains, Microsoft.Extensions.Options.Options.Create(Options));

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(InnerStorage);
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
                (services, _) => new CountingGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(InnerStorage)));
            silo.UseInMemoryReminderService();
            silo.Services.Configure<FleetOptions>(Options.CopyTo);
            silo.Services.AddSingleton<ITelemetryHistoryStore>(History);
            silo.Services.AddSingleton<IDeviceSummaryStore>(Summaries);
            silo.Services.AddTelemetryWriter();
            silo.AddIncomingGrainCallFilter(WriterCalls);
            if (time is not null)
            {
                // Grain timers run on the fake clock, which only moves when a test says so: flush every write by size
                // instead, or every ApplyAsync would wait for the writer's age timer forever (unless a test wants that).
                silo.Services.Configure<TelemetryWriterOptions>(o => o.MaxBatch = writerMaxBatch ?? 1);
            }

            if (time is not null)
            {
                silo.Services.AddSingleton<TimeProvider>(Timers!);
            }
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>A cluster on the real clock.</summary>
public sealed class ClusterFixture() : ClusterFixtureBase(null);

/// <summary>
/// A cluster whose silo runs on a fake clock that tests advance. Without the offline reminder: it would also find a
/// silent device, and hide a grain timer that failed to.
/// </summary>
public sealed class FakeTimeClusterFixture() : ClusterFixtureBase(new FakeTimeProvider(DateTimeOffset.UtcNow), durableOfflineWatch: false);

/// <summary>A fake-clock cluster with the offline backstop on (one reminder per index shard).</summary>
public sealed class OfflineBackstopClusterFixture() : ClusterFixtureBase(new FakeTimeProvider(DateTimeOffset.UtcNow));

[CollectionDefinition(Name)]
public sealed class OfflineBackstopClusterCollection : ICollectionFixture<OfflineBackstopClusterFixture>
{
    public const string Name = "offline-backstop cluster";
}

/// <summary>
/// A fake-clock cluster whose telemetry writer flushes only by age, that is only when a test advances the clock: a
/// test decides exactly which readings share a flush.
/// </summary>
public sealed class GroupCommitClusterFixture() : ClusterFixtureBase(new FakeTimeProvider(DateTimeOffset.UtcNow), writerMaxBatch: 100_000);

[CollectionDefinition(Name)]
public sealed class GroupCommitClusterCollection : ICollectionFixture<GroupCommitClusterFixture>
{
    public const string Name = "group-commit cluster";
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

[CollectionDefinition(Name)]
public sealed class FakeTimeClusterCollection : ICollectionFixture<FakeTimeClusterFixture>
{
    public const string Name = "fake-time cluster";
}
