using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Runtime.Placement;
using Orleans.Serialization;
using Orleans.TestingHost;
using OrleansFleet.Grains;
using OrleansFleet.Grains.Telemetry;
using OrleansFleet.Silo.Queries;
using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Cluster;

/// <summary>
/// A silo crash takes device activations, their offline timers and index shards with it. The shards' reminders, in a
/// reminder table outside the cluster (Redis), bring the shards back on the surviving silo, and their tick marks the
/// lost devices offline. Storage lives outside the silos too, as in a real deployment.
/// </summary>
public sealed class OfflineBackstopTests : IAsyncLifetime
{
    private static string Redis => Environment.GetEnvironmentVariable("FLEET_TEST_REDIS")
        ?? throw new InvalidOperationException("FLEET_TEST_REDIS is not set: run the tests with ./scripts/test.sh, which starts Redis.");

    private readonly FleetOptions _options = TestRules.Options(o =>
    {
        o.IndexShards = 4;
        o.OfflineAfter = TimeSpan.FromSeconds(3);
        o.OfflineBackstopPeriod = TimeSpan.FromSeconds(1);
    });

    private readonly ConcurrentDictionary<(string, GrainId), (object, string)> _grainState = new();
    private readonly MemoryDeviceSummaryStore _summaries = new();
    private readonly MemoryTelemetryHistoryStore _history = new();
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var redis = Redis;
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
                (services, _) => new SharedGrainStorage(_grainState, services.GetRequiredService<DeepCopier>()));
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.UseRedisReminderService(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
            silo.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));

            // Declare the killed silo dead within seconds, so its reminder ranges move while the test watches.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
            silo.Services.Configure<FleetOptions>(_options.CopyTo);
            silo.Services.AddSingleton<ITelemetryHistoryStore>(_history);
            silo.Services.AddSingleton<IDeviceSummaryStore>(_summaries);
            silo.Services.AddTelemetryWriter();
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Devices_whose_silo_was_killed_are_marked_offline_by_the_index_backstop()
    {
        var doomed = _cluster.Silos[1];
        var ids = Enumerable.Range(0, 12).Select(i => $"crash-{Guid.NewGuid():N}-{i}").ToList();

        // Every device, and through the request context every index shard it publishes to, lives on the silo that dies.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, doomed.SiloAddress);
        await Task.WhenAll(ids.Select(id => _cluster.Client.GetGrain<IDeviceGrain>(id).ApplyAsync(new TelemetryBatch([Reading(id, 1, 20, DateTimeOffset.UtcNow)]))));
        RequestContext.Clear();
        Assert.All(ids, id => Assert.Equal(doomed.SiloAddress, HostOf(_cluster.Client.GetGrain<IDeviceGrain>(id).GetGrainId())));

        await _cluster.KillSiloAsync(doomed);

        // Read the fleet read model only: asking a device would activate it and let its own timer do the work.
        var queries = new FleetQueries(_cluster.Client, Microsoft.Extensions.Options.Options.Create(_options));
        var offline = await Eventually.Async(
            async () => (await queries.GetOpenAlarmsAsync(null, 1_000, null)).Items.Where(a => a.RuleId == AlarmRules.OfflineRuleId).Select(a => a.DeviceId).ToHashSet(),
            found => ids.All(found.Contains),
            seconds: 60,
            because: "every device of the killed silo should be marked offline by its shard's reminder");
        Assert.Equal(ids.Count, ids.Count(offline.Contains));
        Assert.Equal(ids.Count, (await queries.GetSummaryAsync()).Offline);
    }

    private SiloAddress? HostOf(GrainId grain) => _cluster.TryGetGrainContext(grain, out var context) ? context.Address.SiloAddress : null;
}
