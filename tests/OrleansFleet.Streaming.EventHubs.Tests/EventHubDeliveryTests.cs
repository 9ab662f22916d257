namespace OrleansFleet.Streaming.EventHubs.Tests;

/// <summary>
/// The real provider path on the in-process hub: the data adapter, Orleans' pulling agents and cache, the partition
/// consumer and the real <c>DeviceGrain</c>, and the Azure Table checkpointer on Azurite moved by the barrier.
/// </summary>
public sealed class EventHubDeliveryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_new_deployment_reads_the_backlog_and_applies_every_event_once_in_order_and_checkpoints_its_partitions()
    {
        var deployment = new EventHubDeployment();
        var devices = Devices("backlog", 24);
        // Appended before any silo runs: StartFromNow = false makes the first start read it.
        await ProduceAsync(deployment, devices, 1, 3);
        await using var cluster = await EventHubCluster.StartAsync(deployment);
        await ProduceAsync(deployment, devices, 4, 10);

        await Poll.UntilAsync(() => StreamAssert.AllReachedAsync(cluster.Grains, devices, 10), Deadline, "every device applied seq 10",
            () => $"{StreamAssert.Reached(cluster.Grains, devices, 10)} of {devices.Length}");
        await StreamAssert.AppliedInOrderAsync(cluster.Grains, devices, 10);
        // The provider itself would checkpoint only when its cache purges (minutes); the barrier moves it.
        await Poll.UntilAsync(deployment.FullyCheckpointedAsync, Deadline, "every partition checkpointed at its newest event");
    }

    [Fact]
    public async Task After_a_restart_the_stream_resumes_at_the_checkpoint_losing_nothing_and_replaying_only_the_checkpointed_event()
    {
        var deployment = new EventHubDeployment();
        var devices = Devices("restart", 24);
        await using (var first = await EventHubCluster.StartAsync(deployment))
        {
            await ProduceAsync(deployment, devices, 1, 5);
            await Poll.UntilAsync(() => StreamAssert.AllReachedAsync(first.Grains, devices, 5), Deadline, "every device applied seq 5");
            await Poll.UntilAsync(deployment.FullyCheckpointedAsync, Deadline, "every partition checkpointed at its newest event");
        }

        var partitionsWithEvents = Enumerable.Range(0, deployment.Hub.PartitionIds.Length).Count(p => deployment.Hub.NewestOffset(p) is not null);
        // Appended while no silo runs.
        await ProduceAsync(deployment, devices, 6, 10);
        await using var second = await EventHubCluster.StartAsync(deployment);

        await Poll.UntilAsync(() => StreamAssert.AllReachedAsync(second.Grains, devices, 10), Deadline, "every device applied seq 10 after the restart",
            () => $"{StreamAssert.Reached(second.Grains, devices, 10)} of {devices.Length}");
        // Each event applied exactly once across both runs (the state came back from the table)...
        await StreamAssert.AppliedInOrderAsync(second.Grains, devices, 10);
        // ...and the replay was the inclusive checkpointed event of each partition, dropped by seq, not the whole backlog.
        var views = await Task.WhenAll(devices.Select(d => StreamAssert.ViewAsync(second.Grains, d)));
        Assert.Equal(partitionsWithEvents, views.Sum(v => v!.Counters.Duplicates));
    }

    [Fact]
    public async Task An_undecodable_event_goes_to_the_dead_letter_hub_with_its_reason_and_its_partition_moves_on()
    {
        var deployment = new EventHubDeployment();
        var device = Devices("poison", 1)[0];
        await using var cluster = await EventHubCluster.StartAsync(deployment);

        await ProduceAsync(deployment, [device], 1, 1);
        deployment.Hub.AppendRaw(device, $$$"""{"deviceId":"{{{device}}}","seq":2,"timestamp":"2026-01-01T00:00:00Z","metrics":{"temperature":"hot"}}""");
        await ProduceAsync(deployment, [device], 3, 4);

        // seq 2 never arrives: the device holds 3 and 4 for the gap, then applies them when the hold ends.
        await Poll.UntilAsync(() => StreamAssert.AllReachedAsync(cluster.Grains, [device], 4), Deadline, "the events after the poison applied");
        var letter = Assert.Single(deployment.DeadLetters.All);
        Assert.Equal(DeadLetter.KindInvalid, letter.Properties[DeadLetter.KindField]);
        Assert.Contains("temperature", (string)letter.Properties[DeadLetter.ReasonField], StringComparison.Ordinal);
        Assert.Contains("\"hot\"", letter.EventBody.ToString(), StringComparison.Ordinal);
        Assert.Equal(device, letter.PartitionKey);
        await Poll.UntilAsync(deployment.FullyCheckpointedAsync, Deadline, "the partition checkpointed past the poison");
    }

    [Fact]
    public async Task An_event_its_consumer_fails_on_until_MaxEventDeliveryTime_is_dead_lettered_not_skipped_silently()
    {
        var deployment = new EventHubDeployment();
        var candidates = Devices("given-up", 64);
        var failing = candidates[0];
        var partition = DevicePartitioner.PartitionOf(failing, deployment.Hub.PartitionIds.Length);
        var neighbour = candidates.Skip(1).First(d => DevicePartitioner.PartitionOf(d, deployment.Hub.PartitionIds.Length) == partition);
        await using var cluster = await EventHubCluster.StartAsync(deployment, maxEventDeliveryTime: TimeSpan.FromSeconds(2));

        DeviceCalls.FailNext(failing, int.MaxValue);
        await ProduceAsync(deployment, [failing], 1, 1);
        var failedOffset = deployment.Hub.NewestOffset(partition);
        await ProduceAsync(deployment, [neighbour], 1, 3);

        // The partition moves on to the neighbour's events once the provider gives up on the failing one...
        await Poll.UntilAsync(() => StreamAssert.AllReachedAsync(cluster.Grains, [neighbour], 3), Deadline, "the neighbour's events applied");
        // ...and the event it gave up on is a dead letter naming where it is, stored before the checkpoint passes it.
        await Poll.UntilAsync(deployment.FullyCheckpointedAsync, Deadline, "the partition checkpointed past the failed event");
        var letter = Assert.Single(deployment.DeadLetters.All);
        Assert.Equal(DeadLetter.KindDeliveryFailed, letter.Properties[DeadLetter.KindField]);
        Assert.Equal($"fleet-telemetry/{partition}", letter.Properties[DeadLetter.SourceField]);
        Assert.Equal(failedOffset, letter.Properties[DeadLetter.SourceIdField]);
        DeviceCalls.FailNext(failing, 0);
    }

    private static string[] Devices(string test, int count)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        return [.. Enumerable.Range(0, count).Select(i => $"eh-{test}-{run}-{i}")];
    }

    /// <summary>Rounds <paramref name="from"/>..<paramref name="to"/> of every device through the API's producer, one request per round.</summary>
    private static async Task ProduceAsync(EventHubDeployment deployment, string[] devices, long from, long to)
    {
        var appender = new EventHubTelemetryAppender(deployment.Hub, TimeSpan.FromSeconds(1));
        for (var seq = from; seq <= to; seq++)
        {
            var round = seq;
            await appender.AppendAsync([new PartitionAppend(0, [.. devices.Select(d => TelemetryTestCluster.Event(d, round))])], CancellationToken.None);
        }
    }
}
