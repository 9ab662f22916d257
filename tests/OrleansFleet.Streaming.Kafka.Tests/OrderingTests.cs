namespace OrleansFleet.Streaming.Kafka.Tests;

/// <summary>Per-device order across all partitions, and offsets committed only after delivery.</summary>
public sealed class OrderingTests
{
    [Fact]
    public async Task Each_of_1000_devices_over_all_partitions_receives_its_events_in_seq_order_and_offsets_reach_the_end()
    {
        const int Devices = 1000;
        const int EventsPerDevice = 3;
        const int Partitions = 6;
        await using var kafka = await KafkaMockCluster.StartAsync();
        var topic = KafkaTelemetryCluster.UniqueTopic("order");
        await kafka.CreateTopicAsync(topic, Partitions);
        var run = Guid.NewGuid().ToString("N")[..8];
        var devices = Enumerable.Range(0, Devices).Select(i => $"ord-{run}-{i}").ToArray();

        await using var cluster = await KafkaTelemetryCluster.StartAsync(kafka, topic);

        // Each device's events are separate records, sent one after the other; devices run concurrently.
        await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (device, _) =>
        {
            for (long seq = 1; seq <= EventsPerDevice; seq++)
            {
                await cluster.ProduceAsync(device, seq);
            }
        });

        await Poll.UntilAsync(
            () => StreamAssert.AllReached(devices, EventsPerDevice),
            TimeSpan.FromSeconds(60),
            "every device applied its last event",
            () => $"{devices.Count(d => DeliveryRecorder.Applied(d).Length == EventsPerDevice)} of {Devices} complete");
        StreamAssert.AppliedInOrder(devices, EventsPerDevice);
        Assert.All(devices, d => Assert.Equal(0, DeliveryRecorder.Duplicates(d)));

        var ends = kafka.Ends(topic, Partitions);
        Assert.All(ends, end => Assert.True(end > 0, "every partition carried records"));
        Assert.Equal(Devices * EventsPerDevice, ends.Sum());
        await Poll.UntilAsync(
            () => kafka.Committed(topic, cluster.Group, Partitions).SequenceEqual(ends),
            TimeSpan.FromSeconds(20),
            "the group's committed offsets reach the end of every partition",
            () => $"committed {string.Join(",", kafka.Committed(topic, cluster.Group, Partitions))}, ends {string.Join(",", ends)}");
    }
}
