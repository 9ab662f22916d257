using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansFleet.Grains;
using OrleansFleet.Grains.State;
using OrleansFleet.Grains.Telemetry;
using OrleansFleet.Streaming;
using OrleansFleet.Streaming.Hosting;
using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Cluster;

/// <summary>
/// The partition consumer's barrier on a real silo with memory streams: device checkpoints are held back by a gated
/// storage, and the committer checks storage at the moment of each commit. A commit that ran before the devices'
/// checkpoints (or without waiting for them) shows as a commit while the gate is closed, or as a violation.
/// </summary>
public sealed class BarrierTests : IAsyncLifetime
{
    private const int Partitions = 4;
    private const string InnerStorage = "inner";
    private InProcessTestCluster _cluster = null!;

    private GatedGrainStorage Storage => (GatedGrainStorage)_cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    private RecordingCommitter Committer => (RecordingCommitter)_cluster.GetSiloServiceProvider().GetRequiredKeyedService<ITelemetryStreamCommitter>(TelemetryStream.ProviderName);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(InnerStorage);
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
                (services, _) => new GatedGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(InnerStorage)));
            // No checkpoint or barrier runs on its own during the test: the test starts every barrier itself. A device
            // whose own timer checkpointed at the closed gate would hold its turn there, and the view queries the test
            // waits on would queue behind it (on a loaded machine the 200 ms timer it once had beat the third append).
            silo.Services.Configure<FleetOptions>(o => TestRules.Options(t => t.Checkpoint.Interval = TimeSpan.FromMinutes(30)).CopyTo(o));
            silo.Services.AddSingleton<ITelemetryHistoryStore>(new MemoryTelemetryHistoryStore());
            silo.Services.AddTelemetryWriter();
            silo.AddMemoryTelemetryStreams(Partitions);
            // The last keyed registration wins: the recording committer replaces the memory streams' empty one.
            silo.Services.AddKeyedSingleton<ITelemetryStreamCommitter, RecordingCommitter>(TelemetryStream.ProviderName);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        Storage.Open();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task No_position_is_committed_until_every_device_fed_before_it_has_checkpointed()
    {
        var devices = Enumerable.Range(0, 40).Select(i => $"barrier-{i}-{Guid.NewGuid():N}").ToArray();
        var sent = devices.ToDictionary(d => d, _ => 0L);
        Committer.Check = async () =>
        {
            // At the moment of a commit, every event delivered so far must be in its device's persisted state.
            var inner = _cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(InnerStorage);
            foreach (var device in devices)
            {
                var stored = new GrainState<DeviceState>();
                await inner.ReadStateAsync("device", _cluster.Client.GetGrain<IDeviceGrain>(device).GetGrainId(), stored);
                var live = await _cluster.Client.GetGrain<IDeviceGrain>(device).GetViewAsync();
                if (live is not null && (stored.State?.LastSeq ?? 0) < live.LastSeq)
                {
                    return $"{device} applied seq {live.LastSeq} but had persisted only {stored.State?.LastSeq ?? 0}";
                }
            }

            return null;
        };
        var ingestor = _cluster.GetSiloServiceProvider().GetRequiredKeyedService<ITelemetryAppender>(TelemetryStream.ProviderName);

        Storage.Close();
        for (var round = 1; round <= 3; round++)
        {
            await AppendAsync(ingestor, devices.Select(d => Reading(d, ++sent[d], 20)).ToList());
        }

        // Delivered and applied in memory (queries see it), while no checkpoint can finish.
        foreach (var device in devices)
        {
            await Eventually.Async(() => _cluster.Client.GetGrain<IDeviceGrain>(device).GetViewAsync(), v => v?.LastSeq == 3, because: "delivery does not wait for checkpoints");
        }

        // Every partition's barrier asks its devices to checkpoint, and the checkpoints are blocked: nothing may be committed.
        var partitionGrains = Enumerable.Range(0, Partitions).Select(p => _cluster.Client.GetGrain<ITelemetryPartitionGrain>(p)).ToArray();
        var barriers = partitionGrains.Select(grain => grain.BarrierAsync()).ToArray();
        // Once every device's checkpoint is waiting at the gate, a barrier that did not wait for them has committed.
        await Eventually.Async(() => Task.FromResult(Storage.Waiting), n => n >= devices.Length, because: "every device is trying to checkpoint");
        Assert.DoesNotContain(barriers, barrier => barrier.IsCompleted);
        Assert.Equal(0, Committer.Committed);

        Storage.Open();
        await Task.WhenAll(barriers);

        Assert.Equal(3 * devices.Select(d => DevicePartitioner.PartitionOf(d, Partitions)).Distinct().Count(), Committer.Committed);
        Assert.Empty(Committer.Violations);
    }

    private static Task AppendAsync(ITelemetryAppender appender, IReadOnlyList<TelemetryEvent> events) =>
        appender.AppendAsync(
            [.. events.GroupBy(e => DevicePartitioner.PartitionOf(e.DeviceId, Partitions)).Select(g => new PartitionAppend(g.Key, [.. g]))],
            CancellationToken.None);
}
