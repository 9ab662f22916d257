namespace OrleansFleet.Streaming.Redis.Tests;

/// <summary>Entries written by foreign producers before any silo ran.</summary>
public sealed class BacklogTests
{
    [Fact]
    public async Task A_new_consumer_group_reads_the_backlog_written_before_any_silo_started()
    {
        var prefix = TestRedis.UniquePrefix("backlog");
        var run = Guid.NewGuid().ToString("N")[..8];
        var devices = Enumerable.Range(0, 20).Select(i => $"bl-{run}-{i}").ToArray();
        var keys = new RedisStreamKeys(prefix);
        var db = TestRedis.Db;

        // What a gateway in any language does (docs/redis-stream.md): XADD {prefix}:{fnv1a32(id) % 8} * d <id> p <json>,
        // using both payload shapes: a single event object and an array of events.
        foreach (var device in devices)
        {
            var key = keys.Partition(DevicePartitioner.PartitionOf(device, 8));
            await db.StreamAddAsync(key, [new("d", device), new("p", $$$"""{"deviceId":"{{{device}}}","seq":1,"timestamp":"2026-11-22T10:00:00Z","metrics":{"temperature":71.5}}""")]);
            await db.StreamAddAsync(key, [new("d", device), new("p", $$$"""[{"deviceId":"{{{device}}}","seq":2,"timestamp":"2026-11-22T10:00:01Z","metrics":{}},{"deviceId":"{{{device}}}","seq":3,"timestamp":"2026-11-22T10:00:02Z","status":"shutdown"}]""")]);
        }

        await using var cluster = await TelemetryCluster.StartAsync(prefix);
        await Poll.UntilAsync(() => StreamAssert.AllReachedAsync(cluster.Grains, devices, 3), TimeSpan.FromSeconds(30), "the backlog delivered");
        await StreamAssert.AppliedInOrderAsync(cluster.Grains, devices, 3);
    }

    [Fact]
    public void The_documented_partition_example_holds()
    {
        // docs/redis-stream.md quotes these values; a gateway author can check an implementation against them.
        Assert.Equal(0x811C9DC5u, DevicePartitioner.Fnv1a32(""u8));
        Assert.Equal(0xE40C292Cu, DevicePartitioner.Fnv1a32("a"u8));
        Assert.Equal(0xC506ACA2u, DevicePartitioner.Fnv1a32("chiller-7"u8));
        Assert.Equal(DocumentedChiller7Partition, DevicePartitioner.PartitionOf("chiller-7", 8));
    }

    /// <summary>The partition of "chiller-7" among 8 partitions, as docs/redis-stream.md states it.</summary>
    public const int DocumentedChiller7Partition = 2;
}
