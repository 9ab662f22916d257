namespace OrleansFleet.Streaming.Kafka.Tests;

/// <summary>A silo that dies mid-stream: its partitions move and resume from the committed offsets.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task Killing_a_silo_mid_stream_loses_no_acknowledged_event_applies_each_once_and_commits_to_the_end()
    {
        const int Devices = 100;
        const int Rounds = 20;
        const int Partitions = 4;
        await using var kafka = await KafkaMockCluster.StartAsync();
        var topic = KafkaTelemetryCluster.UniqueTopic("failover");
        await kafka.CreateTopicAsync(topic, Partitions);
        var run = Guid.NewGuid().ToString("N")[..8];
        var devices = Enumerable.Range(0, Devices).Select(i => $"fo-{run}-{i}").ToArray();
        await using var cluster = await KafkaTelemetryCluster.StartAsync(kafka, topic, silos: 2);

        for (long round = 1; round <= Rounds; round++)
        {
            var seq = round;
            // Each completed OnNextAsync is an acknowledged write (acks=all), as the API's 202 is.
            await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (d, _) => await cluster.ProduceAsync(d, seq));
            if (round == Rounds / 2)
            {
                // Abruptly, while both silos' pulling agents hold records they read but have not committed.
                await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos[1]);
            }
        }

        await Poll.UntilAsync(
            () => StreamAssert.AllReached(devices, Rounds),
            TimeSpan.FromSeconds(60),
            "every device applied its last event after the failover",
            () => $"{devices.Count(d => DeliveryRecorder.Applied(d).LastOrDefault() == Rounds)} of {Devices} complete");
        // Every seq 1..Rounds applied exactly once and in order; redelivered ones were dropped as duplicates.
        StreamAssert.AppliedInOrder(devices, Rounds);
        var ends = kafka.Ends(topic, Partitions);
        Assert.Equal(Devices * Rounds, ends.Sum());
        await Poll.UntilAsync(
            () => kafka.Committed(topic, cluster.Group, Partitions).SequenceEqual(ends),
            TimeSpan.FromSeconds(20),
            "the surviving silo's committed offsets reach the end of every partition",
            () => $"committed {string.Join(",", kafka.Committed(topic, cluster.Group, Partitions))}, ends {string.Join(",", ends)}");
    }
}
