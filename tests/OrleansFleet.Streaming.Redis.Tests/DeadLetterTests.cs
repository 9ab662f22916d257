using System.Diagnostics.Metrics;

using StackExchange.Redis;

namespace OrleansFleet.Streaming.Redis.Tests;

/// <summary>Entries that cannot be delivered go to the dead-letter stream with a reason; the partition keeps flowing.</summary>
public sealed class DeadLetterTests
{
    [Fact]
    public async Task Poison_entries_are_dead_lettered_with_their_reason_and_counted_and_later_events_still_arrive()
    {
        var prefix = TestRedis.UniquePrefix("poison");
        var device = $"poison-{Guid.NewGuid():N}";
        var keys = new RedisStreamKeys(prefix);
        var partition = keys.Partition(DevicePartitioner.PartitionOf(device, 8));
        var otherPartition = keys.Partition((DevicePartitioner.PartitionOf(device, 8) + 1) % 8);
        long deadLettered = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StreamingMetrics.MeterName && instrument.Name == StreamingMetrics.DeadLetteredName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref deadLettered, value));
        listener.Start();

        await using var cluster = await TelemetryCluster.StartAsync(prefix);
        var db = TestRedis.Db;
        var valid = $$$"""{"deviceId":"{{{device}}}","seq":3,"timestamp":"2026-01-01T00:00:00Z","metrics":{"t":1}}""";
        var garbage = await db.StreamAddAsync(partition, [new("d", device), new("p", "this is {not json")]);
        await cluster.ProduceAsync(device, 1);
        var missing = await db.StreamAddAsync(partition, [new("d", device)]);
        var mismatch = await db.StreamAddAsync(partition, [new("d", device), new("p", valid.Replace(device, "someone-else", StringComparison.Ordinal))]);
        var wrongPartition = await db.StreamAddAsync(otherPartition, [new("d", device), new("p", valid)]);
        await cluster.ProduceAsync(device, 2);
        await db.StreamAddAsync(partition, [new("d", device), new("p", valid)]);

        await Poll.UntilAsync(() => StreamAssert.AllReachedAsync(cluster.Grains, [device], 3), TimeSpan.FromSeconds(30), "the valid events behind the poison arrived");
        await StreamAssert.AppliedInOrderAsync(cluster.Grains, [device], 3);

        StreamEntry[] dead = [];
        await Poll.UntilAsync(
            async () => (dead = await db.StreamRangeAsync(keys.DeadLetter)).Length == 4,
            TimeSpan.FromSeconds(30),
            "four entries in the dead-letter stream");
        // Entry ids are per stream: two partitions can hand out the same id, so match on source and id.
        StreamEntry Dead(RedisKey source, RedisValue id) => dead.Single(e => e["source"] == (string?)source && e["source-id"] == id);
        string Reason(RedisValue id, RedisKey? source = null) => (string)Dead(source ?? partition, id)["reason"]!;
        Assert.Contains("not valid telemetry", Reason(garbage), StringComparison.Ordinal);
        Assert.Equal("this is {not json", (string)Dead(partition, garbage)["p"]!);
        Assert.Contains("field 'p'", Reason(missing), StringComparison.Ordinal);
        Assert.Contains("someone-else", Reason(mismatch), StringComparison.Ordinal);
        Assert.Contains("belongs to partition", Reason(wrongPartition, otherPartition), StringComparison.Ordinal);
        // The tests of this assembly run one at a time, so this cluster is the only one counting.
        Assert.Equal(4, Interlocked.Read(ref deadLettered));
        await Poll.UntilAsync(
            async () => await TestRedis.PendingAsync(db, prefix, cluster.ServiceId, 8) == 0,
            TimeSpan.FromSeconds(30),
            "poison entries acknowledged after being dead-lettered");
    }

    [Fact]
    public async Task A_consumer_that_throws_is_retried_without_acknowledgement_and_after_the_attempt_limit_is_dead_lettered()
    {
        var prefix = TestRedis.UniquePrefix("failing");
        var run = Guid.NewGuid().ToString("N")[..8];
        var flaky = $"flaky-{run}";
        var broken = $"broken-{run}";
        DeviceCalls.FailNext(flaky, 2);
        DeviceCalls.FailNext(broken, int.MaxValue);
        await using var cluster = await TelemetryCluster.StartAsync(
            prefix,
            configure: o => o.MaxDeliveryAttempts = 2,
            maxEventDeliveryTime: TimeSpan.FromSeconds(5));

        await cluster.ProduceAsync(broken, 1);
        await cluster.ProduceAsync(flaky, 1);
        await cluster.ProduceAsync(flaky, 2);

        // While Orleans retries the failing consumer, its entry stays pending (not acknowledged).
        await Poll.UntilAsync(() => DeviceCalls.CallsFor(broken) >= 2, TimeSpan.FromSeconds(30), "the broken consumer was retried");
        var keys = new RedisStreamKeys(prefix);
        var brokenStream = keys.Partition(DevicePartitioner.PartitionOf(broken, 8));
        var brokenEntry = Assert.Single(await TestRedis.Db.StreamRangeAsync(brokenStream), e => ((string?)e[RedisStreamKeys.PayloadField])!.Contains(broken, StringComparison.Ordinal)).Id;
        Assert.Contains(brokenEntry, await TestRedis.PendingIdsAsync(TestRedis.Db, brokenStream, cluster.ServiceId));

        // A consumer that recovers within MaxEventDeliveryTime: Orleans retried the same batch (2 failed calls, then
        // one that succeeded) before moving to the next, so the device sees its events once and in order.
        await Poll.UntilAsync(
            () => StreamAssert.AllReachedAsync(cluster.Grains, [flaky], 2),
            TimeSpan.FromSeconds(30),
            "the flaky consumer recovered",
            () => $"calls {DeviceCalls.CallsFor(flaky)}, dead [{string.Join(" | ", TestRedis.Db.StreamRange(keys.DeadLetter).Select(e => $"{e["p"]}: {e["reason"]}"))}]");
        await StreamAssert.AppliedInOrderAsync(cluster.Grains, [flaky], 2);
        Assert.Equal(4, DeviceCalls.CallsFor(flaky));

        // One that never recovers: after MaxEventDeliveryTime Orleans skips it (later batches of the device would go
        // ahead; the device grain's reorder buffer puts a redelivered event back in seq order). The receiver keeps it
        // unacknowledged, redelivers it, and after MaxDeliveryAttempts deliveries moves it to the dead-letter stream.
        await Poll.UntilAsync(
            async () => (await TestRedis.Db.StreamRangeAsync(keys.DeadLetter)).Any(e => ((string?)e["p"] ?? "").Contains(broken, StringComparison.Ordinal) && e["kind"] == DeadLetter.KindDeliveryFailed),
            TimeSpan.FromSeconds(60),
            "the always-failing entry dead-lettered as delivery-failed");
        await Poll.UntilAsync(
            async () => await TestRedis.PendingAsync(TestRedis.Db, prefix, cluster.ServiceId, 8) == 0,
            TimeSpan.FromSeconds(30),
            "nothing pending once the failing entry was dead-lettered");
        Assert.Null(await StreamAssert.ViewAsync(cluster.Grains, broken));
        var deadOnes = (await TestRedis.Db.StreamRangeAsync(keys.DeadLetter)).Select(e => ((string?)e[DeadLetter.SourceIdField], (string?)e[DeadLetter.KindField])).ToList();
        Assert.Equal([((string?)brokenEntry, DeadLetter.KindDeliveryFailed)], deadOnes);
    }
}
