using StackExchange.Redis;

namespace OrleansFleet.Streaming.Redis.Tests;

/// <summary>Retention trimming never removes what some consumer group has not acknowledged.</summary>
public sealed class TrimmingTests
{
    [Fact]
    public async Task Trimming_stops_at_the_oldest_entry_any_group_still_needs()
    {
        var db = TestRedis.Db;
        RedisKey key = TestRedis.UniquePrefix("trim") + ":0";
        var ids = new List<RedisValue>();
        for (var i = 0; i < 100; i++)
        {
            ids.Add(await db.StreamAddAsync(key, "n", i));
        }

        // Group A read 50 and acknowledged 40: entries 40..49 are pending. Group B read and acknowledged 70.
        await db.StreamCreateConsumerGroupAsync(key, "A", "0");
        await db.StreamCreateConsumerGroupAsync(key, "B", "0");
        await db.StreamReadGroupAsync(key, "A", "a", ">", 50);
        await db.StreamAcknowledgeAsync(key, "A", [.. ids.Take(40)]);
        await db.StreamReadGroupAsync(key, "B", "b", ">", 70);
        await db.StreamAcknowledgeAsync(key, "B", [.. ids.Take(70)]);

        var removed = await RedisSafeTrimmer.TrimAsync(db, key, retain: 10, maxPerPass: 1000);

        Assert.Equal(40, removed);
        var first = (await db.StreamRangeAsync(key, count: 1))[0];
        Assert.Equal(ids[40], first.Id);

        // Once A acknowledged everything it read, the floor is its last-delivered id (entry 49): unread entries stay.
        await db.StreamAcknowledgeAsync(key, "A", [.. ids.Skip(40).Take(10)]);
        await RedisSafeTrimmer.TrimAsync(db, key, retain: 10, maxPerPass: 1000);
        Assert.Equal(ids[49], (await db.StreamRangeAsync(key, count: 1))[0].Id);

        // A stream whose readers are all caught up is trimmed to the retention length.
        await db.StreamReadGroupAsync(key, "A", "a", ">", 100);
        await db.StreamAcknowledgeAsync(key, "A", [.. ids]);
        await db.StreamReadGroupAsync(key, "B", "b", ">", 100);
        await db.StreamAcknowledgeAsync(key, "B", [.. ids]);
        await RedisSafeTrimmer.TrimAsync(db, key, retain: 10, maxPerPass: 1000);
        Assert.Equal(10, await db.StreamLengthAsync(key));
    }

    [Fact]
    public async Task A_stream_without_consumer_groups_is_never_trimmed()
    {
        var db = TestRedis.Db;
        RedisKey key = TestRedis.UniquePrefix("trim-nogroup") + ":0";
        for (var i = 0; i < 30; i++)
        {
            await db.StreamAddAsync(key, "n", i);
        }

        Assert.Equal(0, await RedisSafeTrimmer.TrimAsync(db, key, retain: 5, maxPerPass: 1000));
        Assert.Equal(30, await db.StreamLengthAsync(key));
    }

    [Fact]
    public async Task The_provider_trims_acknowledged_entries_but_keeps_those_another_service_has_not_read()
    {
        var prefix = TestRedis.UniquePrefix("trim-provider");
        var device = $"trim-{Guid.NewGuid():N}";
        var key = new RedisStreamKeys(prefix).Partition(DevicePartitioner.PartitionOf(device, 1));
        var db = TestRedis.Db;
        // Another service's group, created before anything was written, that reads nothing during the test.
        await db.StreamCreateConsumerGroupAsync(key, "other-service", "0", createStream: true);
        await using var cluster = await TelemetryCluster.StartAsync(prefix, configure: o =>
        {
            o.Partitions = 1;
            o.RetainMaxLength = 10;
            o.TrimInterval = TimeSpan.FromMilliseconds(100);
        });

        for (long seq = 1; seq <= 50; seq++)
        {
            await cluster.ProduceAsync(device, seq);
        }

        await Poll.UntilAsync(() => StreamAssert.AllReachedAsync(cluster.Grains, [device], 50), TimeSpan.FromSeconds(30), "all 50 delivered");
        await Poll.UntilAsync(async () => await TestRedis.PendingAsync(db, prefix, cluster.ServiceId, 1) == 0, TimeSpan.FromSeconds(30), "all acknowledged");
        await cluster.ProduceAsync(device, 51);
        await Poll.UntilAsync(() => StreamAssert.AllReachedAsync(cluster.Grains, [device], 51), TimeSpan.FromSeconds(30), "a later entry delivered (and a trim pass run)");
        Assert.Equal(51, await db.StreamLengthAsync(key));

        // The other service catches up; the next trims bring the stream down to the retention length.
        var read = await db.StreamReadGroupAsync(key, "other-service", "c", ">", 100);
        await db.StreamAcknowledgeAsync(key, "other-service", [.. read.Select(e => e.Id)]);
        for (long seq = 52; seq <= 60; seq++)
        {
            await cluster.ProduceAsync(device, seq);
        }

        await Poll.UntilAsync(
            async () => await db.StreamLengthAsync(key) <= 11,
            TimeSpan.FromSeconds(30),
            "trimmed to about the retention length",
            () => $"length {db.StreamLength(key)}");
        await Poll.UntilAsync(() => StreamAssert.AllReachedAsync(cluster.Grains, [device], 60), TimeSpan.FromSeconds(30), "all 60 delivered");
    }
}
