using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Orleans.TestingHost;
using OrleansFleet.Grains;
using OrleansFleet.Grains.Observability;
using OrleansFleet.Grains.Telemetry;
using OrleansFleet.Streaming;
using OrleansFleet.Streaming.Hosting;
using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Observability;

/// <summary>
/// The <c>OrleansFleet</c> meter on a real silo with memory streams: each counter moves for the behaviour it names, and
/// the stream gauges follow a partition from delivery to its barrier. The tests of this class share one silo and run
/// one at a time, and each reads only what its own collector saw while it ran.
/// </summary>
public sealed class FleetMetricsTests : IAsyncLifetime
{
    private const int Partitions = 2;
    private InProcessTestCluster _cluster = null!;

    private IMeterFactory Meters => _cluster.GetSiloServiceProvider().GetRequiredService<IMeterFactory>();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorageAsDefault();
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.UseInMemoryReminderService();
            // A short hold so a gap is skipped while the test watches; a barrier only when the test asks for one.
            silo.Services.Configure<FleetOptions>(o => TestRules.Options(t =>
            {
                t.ReorderHoldTime = TimeSpan.FromMilliseconds(200);
                t.Checkpoint.Interval = TimeSpan.FromMinutes(10);
            }).CopyTo(o));
            silo.Services.AddSingleton<ITelemetryHistoryStore>(new MemoryTelemetryHistoryStore());
            silo.Services.AddSingleton<IDeviceSummaryStore>(new MemoryDeviceSummaryStore());
            silo.Services.AddTelemetryWriter();
            silo.AddMemoryTelemetryStreams(Partitions);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Applied_and_duplicate_events_are_counted_once_each()
    {
        using var applied = Collect("fleet.events.applied");
        using var duplicates = Collect("fleet.events.duplicate");
        var device = _cluster.Client.GetGrain<IDeviceGrain>(NewId("dup"));

        await device.ApplyAsync(new TelemetryBatch([Reading(device.GetPrimaryKeyString(), 1, 20), Reading(device.GetPrimaryKeyString(), 2, 21), Reading(device.GetPrimaryKeyString(), 3, 22)]));
        await device.ApplyAsync(new TelemetryBatch([Reading(device.GetPrimaryKeyString(), 2, 21), Reading(device.GetPrimaryKeyString(), 3, 22)]));

        Assert.Equal(3, Sum(applied));
        Assert.Equal(2, Sum(duplicates));
    }

    [Fact]
    public async Task A_skipped_gap_counts_as_gap_and_the_event_that_then_arrives_counts_as_late()
    {
        using var gaps = Collect("fleet.gaps.skipped");
        using var late = Collect("fleet.events.late");
        using var applied = Collect("fleet.events.applied");
        var id = NewId("gap");
        var device = _cluster.Client.GetGrain<IDeviceGrain>(id);

        await device.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20), Reading(id, 3, 20)]));
        Assert.Equal(0, Sum(gaps));
        // The device's timer applies seq 3 past the missing 2 once the hold time is over.
        await Eventually.Async(() => Task.FromResult(Sum(gaps)), n => n == 1, because: "the gap skip was not counted");
        Assert.Equal(2, Sum(applied));

        await device.ApplyAsync(new TelemetryBatch([Reading(id, 2, 20)]));
        Assert.Equal(1, Sum(late));
        Assert.Equal(2, Sum(applied));
    }

    [Fact]
    public async Task Alarms_raised_and_cleared_are_counted_and_a_repeated_breach_raises_nothing_new()
    {
        using var raised = Collect("fleet.alarms.raised");
        using var cleared = Collect("fleet.alarms.cleared");
        var id = NewId("alarm");
        var device = _cluster.Client.GetGrain<IDeviceGrain>(id);

        await device.ApplyAsync(new TelemetryBatch([Reading(id, 1, 95), Reading(id, 2, 97)]));
        Assert.Equal(1, Sum(raised));
        Assert.Equal(0, Sum(cleared));

        await device.ApplyAsync(new TelemetryBatch([Reading(id, 3, 80)]));
        Assert.Equal(1, Sum(raised));
        Assert.Equal(1, Sum(cleared));

        // A shutdown clears whatever reading alarm is open, too.
        await device.ApplyAsync(new TelemetryBatch([Reading(id, 4, 99), Status(id, 5, DeviceStatus.Shutdown)]));
        Assert.Equal(2, Sum(raised));
        Assert.Equal(2, Sum(cleared));
    }

    [Fact]
    public async Task Stream_gauges_show_uncommitted_entries_and_dirty_devices_until_the_barrier_commits_them()
    {
        using var latency = new MetricCollector<double>(Meters, DeviceMetrics.MeterName, "fleet.events.ingest_to_apply");
        using var uncommitted = new MetricCollector<int>(Meters, DeviceMetrics.MeterName, "fleet.stream.uncommitted");
        using var dirty = new MetricCollector<int>(Meters, DeviceMetrics.MeterName, "fleet.stream.dirty_devices");
        using var age = new MetricCollector<double>(Meters, DeviceMetrics.MeterName, "fleet.stream.uncommitted_age");
        var appender = _cluster.GetSiloServiceProvider().GetRequiredKeyedService<ITelemetryAppender>(TelemetryStream.ProviderName);
        // Two devices of the same partition, two appends.
        var devices = Enumerable.Range(0, 200).Select(i => NewId($"lag-{i}")).Where(d => DevicePartitioner.PartitionOf(d, Partitions) == 0).Take(2).ToArray();
        foreach (var seq in new long[] { 1, 2 })
        {
            await appender.AppendAsync([new PartitionAppend(0, [.. devices.Select(d => Reading(d, seq, 20))])], CancellationToken.None);
        }

        await Eventually.Async(() => Task.FromResult(latency.GetMeasurementSnapshot().Count), n => n >= 2, because: "no ingest-to-apply latency was recorded");
        Assert.All(latency.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 60));
        Assert.True(Partition(uncommitted, 0) >= 2, "the two delivered appends should be uncommitted before the barrier");
        Assert.Equal(2, Partition(dirty, 0));
        Assert.True(Partition(age, 0) > 0, "the oldest uncommitted entry should have an age");

        Assert.True(await _cluster.Client.GetGrain<ITelemetryPartitionGrain>(0).BarrierAsync() >= 2);
        Assert.Equal(0, Partition(uncommitted, 0));
        Assert.Equal(0, Partition(dirty, 0));
        Assert.Equal(0, Partition(age, 0));
    }

    private static string NewId(string prefix) => $"metrics-{prefix}-{Guid.NewGuid():N}";

    private MetricCollector<long> Collect(string instrument) => new(Meters, DeviceMetrics.MeterName, instrument);

    private static long Sum(MetricCollector<long> collector) => collector.GetMeasurementSnapshot().Sum(m => m.Value);

    /// <summary>The gauge's current value for <paramref name="partition"/> on this silo.</summary>
    private static T Partition<T>(MetricCollector<T> gauge, int partition)
        where T : struct
    {
        gauge.RecordObservableInstruments();
        return gauge.GetMeasurementSnapshot().Last(m => m.Tags.TryGetValue("partition", out var p) && (int)p! == partition).Value;
    }
}
