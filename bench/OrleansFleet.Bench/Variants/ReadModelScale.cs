using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using OrleansFleet.Grains;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// The fleet read model at fleet scale: <c>N</c> devices' summaries land in the real index shards (the summaries
/// device grains publish on their first report, sent straight to the shards), then single devices change while the
/// shards hold all of them. It measures how long the cold start takes to land, and how many rows and bytes a shard
/// write carries, beside what the previous design wrote per change: the shard's whole map as one grain state.
/// </summary>
/// <remarks>
/// Bytes are the rows' size in Orleans' binary serializer, the one the previous design wrote its grain state with, so
/// the two columns compare like with like. The store is the embedded mode's memory store unless another is given
/// (the Azure Tables one, to see a storage account's round trips), behind a counter of what each write carries.
/// </remarks>
public static class ReadModelScale
{
    /// <summary>Runs the measurement and returns it as a Markdown section.</summary>
    /// <param name="devices">How many devices the read model ends up holding.</param>
    /// <param name="changes">How many single-device changes are measured once every device is held.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <param name="rows">The store the shards write to and read from; <c>null</c> for the memory store.</param>
    public static async Task<string> RunAsync(int devices, int changes, CancellationToken cancellationToken, IDeviceSummaryStore? rows = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        var options = BenchFleet.Options();
        var store = new CountingStore(rows ?? new MemoryDeviceSummaryStore());
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: LoopbackPort.Free(), gatewayPort: LoopbackPort.Free(), serviceId: "bench-read-model", clusterId: $"read-model-{Guid.NewGuid():N}");
            silo.AddMemoryGrainStorageAsDefault();
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<IDeviceSummaryStore>(store);
            silo.Services.Configure<FleetOptions>(o => o.IndexShards = options.IndexShards);
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var serializer = host.Services.GetRequiredService<Serializer>();
            var shards = options.IndexShards;

            // Cold start: every device's first summary, as many in flight as the API's partitions would keep busy.
            var ids = Enumerable.Range(0, devices).Select(i => $"rm-{i:D7}").ToArray();
            var heard = DateTimeOffset.UtcNow;
            var landing = Stopwatch.StartNew();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 2_048, CancellationToken = cancellationToken }, async (id, _) =>
                await grains.GetGrain<IFleetIndexGrain>(StableHash.Bucket(id, shards)).UpdateAsync(First(id, heard)));
            landing.Stop();
            var coldWrites = store.TakeWrites();
            var summary = (await Task.WhenAll(Enumerable.Range(0, shards).Select(s => grains.GetGrain<IFleetIndexGrain>(s).GetSummaryAsync()))).Aggregate(FleetSummary.Empty, FleetSummary.Combine);
            if (summary.Devices != devices)
            {
                throw new InvalidOperationException($"The read model holds {summary.Devices} devices, not {devices}.");
            }

            // Steady state: one device changes at a time, so each write carries exactly what one change costs.
            store.MeasureBytesWith(serializer);
            var random = new Random(7);
            var changeTimes = new List<double>(changes);
            for (var i = 0; i < changes; i++)
            {
                var id = ids[random.Next(ids.Length)];
                var started = Stopwatch.GetTimestamp();
                await grains.GetGrain<IFleetIndexGrain>(StableHash.Bucket(id, shards)).UpdateAsync(First(id, heard) with { Version = 2 + i, Status = DeviceStatus.Maintenance });
                changeTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var steadyWrites = store.TakeWrites();

            // What the previous design wrote per change: the shard's whole map, serialized as its grain state was.
            // And what a shard activating reads back: its whole partition, once per activation.
            var reading = Stopwatch.StartNew();
            var held = await store.Inner.ReadShardAsync(0, cancellationToken);
            reading.Stop();
            var map = held.ToDictionary(s => s.DeviceId, StringComparer.Ordinal);
            var wholeMapBytes = serializer.SerializeToArray(map).Length;

            return Render(devices, shards, rows?.GetType().Name ?? nameof(MemoryDeviceSummaryStore), landing.Elapsed, coldWrites, steadyWrites, changeTimes, map.Count, wholeMapBytes, reading.Elapsed);
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stop.Token);
        }
    }

    // One device in ten reports with an open alarm, as a fleet with some trouble does.
    private static DeviceSummary First(string id, DateTimeOffset heard) => new()
    {
        DeviceId = id,
        Version = 1,
        Status = DeviceStatus.Running,
        LastHeardAt = heard,
        OpenAlarms = id[^1] == '7'
            ? [new Alarm { Id = "a1", DeviceId = id, RuleId = "temperature-high", Metric = "temperature", Severity = AlarmSeverity.Critical, State = AlarmState.Active, Value = 95, RaisedAt = heard, RaisedBySeq = 1 }]
            : [],
    };

    private static string Render(int devices, int shards, string storeName, TimeSpan landing, List<Write> cold, List<Write> steady, List<double> changeTimes, int shardDevices, int wholeMapBytes, TimeSpan reload)
    {
        static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
        var rows = steady.Select(w => (double)w.Rows).DefaultIfEmpty(0).ToList();
        var bytes = steady.Select(w => (double)w.Bytes).DefaultIfEmpty(0).ToList();
        changeTimes.Sort();
        return $"""
            ## Fleet read model, {N(devices)} devices

            {N(devices)} devices' first summaries into {shards} index shards (`{storeName}`), then {N(changeTimes.Count)} single-device changes with every device held.

            | measure | value |
            |---|---:|
            | cold start: {N(devices)} summaries landed (every write durable in the store) | {landing.TotalSeconds:F1} s ({N(devices / landing.TotalSeconds)} summaries/s) |
            | cold start: shard writes, rows per write (mean / max) | {N(cold.Count)}, {cold.Average(w => w.Rows):F1} / {N(cold.Max(w => w.Rows))} |
            | devices held by shard 0; reading them back on activation | {N(shardDevices)}; {reload.TotalSeconds:F2} s |
            | one change: rows per shard write (mean / max) | {rows.Average():F2} / {N(rows.Max())} |
            | one change: bytes per shard write (mean / max) | {N(bytes.Average())} / {N(bytes.Max())} |
            | one change, previous design: shard 0's whole map as one write | {N(wholeMapBytes)} bytes |
            | one change: update latency p50 / p99 | {changeTimes[changeTimes.Count / 2]:F2} ms / {changeTimes[(int)(changeTimes.Count * 0.99)]:F2} ms |

            """;
    }

    private readonly record struct Write(int Rows, long Bytes);

    /// <summary>The memory store behind a counter of what each shard write carries.</summary>
    private sealed class CountingStore(IDeviceSummaryStore inner) : IDeviceSummaryStore
    {
        private ConcurrentQueue<Write> _writes = new();
        private Serializer? _serializer;

        public IDeviceSummaryStore Inner => inner;

        public void MeasureBytesWith(Serializer serializer) => _serializer = serializer;

        public List<Write> TakeWrites() => [.. Interlocked.Exchange(ref _writes, new ConcurrentQueue<Write>())];

        public Task UpsertAsync(int shard, IReadOnlyCollection<DeviceSummary> summaries, CancellationToken cancellationToken)
        {
            // Serializing every row would slow the cold start it times, so bytes are counted only once asked to.
            var bytes = _serializer is { } serializer ? summaries.Sum(s => (long)serializer.SerializeToArray(s).Length) : 0;
            _writes.Enqueue(new Write(summaries.Count, bytes));
            return inner.UpsertAsync(shard, summaries, cancellationToken);
        }

        public Task<IReadOnlyList<DeviceSummary>> ReadShardAsync(int shard, CancellationToken cancellationToken) => inner.ReadShardAsync(shard, cancellationToken);
    }
}
