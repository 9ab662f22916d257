using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime.Hosting;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansFleet.Grains;
using OrleansFleet.Grains.Telemetry;
using OrleansFleet.Silo.Queries;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// One in-process Orleans cluster shared by a test collection: the real grains on memory storage, with a write
/// counter in front of the default storage and, when asked, a fake clock that drives grain timers.
/// </summary>
public abstract class ClusterFixtureBase(FakeTimeProvider? time) : IAsyncLifetime
{
    private const string InnerStorage = "inner";

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The fake clock the silo runs on, or null for the real one.</summary>
    public FakeTimeProvider? Time => time;

    public FleetOptions Options { get; } = TestRules.Options(o => o.IndexShards = 4);

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
            if (time is not null)
            {
                // Grain timers run on the fake clock, which only moves when a test says so: flush every write by size
                // instead, or every ApplyAsync would wait for the writer's age timer forever.
                silo.Services.Configure<TelemetryWriterOptions>(o => o.MaxBatch = 1);
            }

            if (time is not null)
            {
                silo.Services.AddSingleton<TimeProvider>(time);
            }
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>A cluster on the real clock.</summary>
public sealed class ClusterFixture() : ClusterFixtureBase(null);

/// <summary>A cluster whose silo runs on a fake clock that tests advance.</summary>
public sealed class FakeTimeClusterFixture() : ClusterFixtureBase(new FakeTimeProvider(DateTimeOffset.UtcNow));

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
