namespace OrleansFleet.Streaming.Redis.Tests;

/// <summary>Per-device order across all partitions, and acknowledgement (commit) after the devices checkpointed.</summary>
public sealed class OrderingTests
{
    [Fact]
    public async Task Each_of_1000_devices_over_all_partitions_receives_its_events_in_seq_order_and_all_are_acknowledged()
    {
        const int Devices = 1000;
        const int EventsPerDevice = 5;
        var prefix = TestRedis.UniquePrefix("order");
        var run = Guid.NewGuid().ToString("N")[..8];
        var devices = Enumerable.Range(0, Devices).Select(i => $"ord-{run}-{i}").ToArray();
        Assert.Equal(8, devices.Select(d => DevicePartitioner.PartitionOf(d, 8)).Distinct().Count());

        await using var cluster = await TelemetryCluster.StartAsync(prefix);

        // Each device's events are separate entries, sent one after the other; devices run concurrently.
        await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (device, _) =>
        {
            for (long seq = 1; seq <= EventsPerDevice; seq++)
            {
                await cluster.ProduceAsync(device, seq);
            }
        });

        await Poll.UntilAsync(
            () => StreamAssert.AllReachedAsync(cluster.Grains, devices, EventsPerDevice),
            TimeSpan.FromSeconds(90),
            "every device applied its last event",
            () => $"{StreamAssert.Reached(cluster.Grains, devices, EventsPerDevice)} of {Devices} complete");
        await StreamAssert.AppliedInOrderAsync(cluster.Grains, devices, EventsPerDevice);
        foreach (var d in devices)
        {
            Assert.Equal(0, (await StreamAssert.ViewAsync(cluster.Grains, d))!.Counters.Duplicates);
        }

        await Poll.UntilAsync(
            async () => await TestRedis.PendingAsync(TestRedis.Db, prefix, cluster.ServiceId, 8) == 0,
            TimeSpan.FromSeconds(30),
            "every entry acknowledged (XPENDING empty)");
        var keys = new RedisStreamKeys(prefix);
        long total = 0;
        for (var p = 0; p < 8; p++)
        {
            var length = await TestRedis.Db.StreamLengthAsync(keys.Partition(p));
            Assert.True(length > 0, $"partition {p} carried no entries");
            total += length;
        }

        Assert.Equal(Devices * EventsPerDevice, total);
    }
}
