using OrleansFleet.Grains.Telemetry;
using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Cluster;

/// <summary>
/// The telemetry writer's group commit, on a fake clock: its batches close by age only when the test advances the
/// clock, so which readings share a flush does not depend on how fast a loaded machine runs.
/// </summary>
[Collection(GroupCommitClusterCollection.Name)]
public sealed class GroupCommitTests(GroupCommitClusterFixture fixture)
{
    [Fact]
    public async Task Readings_of_many_devices_waiting_in_the_writer_are_committed_together_each_reading_once()
    {
        var ids = Enumerable.Range(0, 100).Select(i => $"group-{i}-{Guid.NewGuid():N}").ToList();
        // Each device applies in memory, then its checkpoint hands the readings to the writer and waits for the flush.
        var applies = ids.Select(async id =>
        {
            var device = fixture.Grains.GetGrain<IDeviceGrain>(id);
            await device.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20), Reading(id, 2, 21), Reading(id, 3, 22)]));
            await device.CheckpointAsync();
        }).ToList();

        // Every device has handed its readings to a writer, and none was written: they wait in open batches.
        await Eventually.Async(() => Task.FromResult(fixture.WriterCalls.DevicesHandedOver(ids)), n => n == ids.Count, because: "every device should reach the writer");
        Assert.Equal(0, fixture.History.CallsWithAny(ids));
        Assert.All(applies, a => Assert.False(a.IsCompleted));

        fixture.Time!.Advance(new TelemetryWriterOptions().MaxDelay);
        await Task.WhenAll(applies).WaitAsync(TimeSpan.FromSeconds(30));

        // One flush per writer activation (a stateless worker has at most one per core), never one per device.
        Assert.InRange(fixture.History.CallsWithAny(ids), 1, Environment.ProcessorCount);
        foreach (var id in ids)
        {
            var page = await fixture.History.QueryAsync(id, null, null, TelemetryHistoryKeys.MaxPageSize, null, CancellationToken.None);
            Assert.Equal([1L, 2L, 3L], page.Items.Select(r => r.Seq!.Value).Order());
        }
    }
}
