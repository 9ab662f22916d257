namespace OrleansFleet.Streaming.Redis.Tests;

/// <summary>A silo that dies mid-stream: its partitions move and its unacknowledged entries are redelivered.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task Killing_a_silo_mid_stream_loses_nothing_and_applies_every_event_once_in_order()
    {
        const int Devices = 100;
        const int Rounds = 30;
        var prefix = TestRedis.UniquePrefix("failover");
        var run = Guid.NewGuid().ToString("N")[..8];
        var devices = Enumerable.Range(0, Devices).Select(i => $"fo-{run}-{i}").ToArray();
        await using var cluster = await TelemetryCluster.StartAsync(prefix, silos: 2);

        for (long round = 1; round <= Rounds; round++)
        {
            var seq = round;
            await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (d, _) => await cluster.ProduceAsync(d, seq));
            if (round == Rounds / 2)
            {
                // Abruptly, while the pulling agents of both silos hold entries in their caches.
                await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos[1]);
            }
        }

        await Poll.UntilAsync(
            () => StreamAssert.AllReachedAsync(cluster.Grains, devices, Rounds),
            TimeSpan.FromSeconds(120),
            "every device applied its last event after the failover",
            () => $"{StreamAssert.Reached(cluster.Grains, devices, Rounds)} of {Devices} complete");
        await StreamAssert.AppliedInOrderAsync(cluster.Grains, devices, Rounds);
        await Poll.UntilAsync(
            async () => await TestRedis.PendingAsync(TestRedis.Db, prefix, cluster.ServiceId, 8) == 0,
            TimeSpan.FromSeconds(30),
            "nothing left pending");
    }
}
