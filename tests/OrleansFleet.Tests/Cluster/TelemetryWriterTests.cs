using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Cluster;

/// <summary>The telemetry writer's group commit, and what a failing history store does to a device.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TelemetryWriterTests(ClusterFixture fixture)
{
    private IDeviceGrain Device(string id) => fixture.Grains.GetGrain<IDeviceGrain>(id);

    private async Task<List<long?>> HistorySeqsAsync(string id)
    {
        var page = await fixture.History.QueryAsync(id, null, null, TelemetryHistoryKeys.MaxPageSize, null, CancellationToken.None);
        return [.. page.Items.Select(r => r.Seq).Order()];
    }

    [Fact]
    public async Task A_failing_history_store_fails_the_checkpoint_before_the_state_write_and_the_next_checkpoint_writes_both()
    {
        var id = $"failing-{Guid.NewGuid():N}";
        var grain = Device(id);
        await grain.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20)]));
        await grain.CheckpointAsync();
        var stateWrites = fixture.Storage.WritesOf(grain.GetGrainId());

        fixture.History.Fail(id, true);
        await grain.ApplyAsync(new TelemetryBatch([Reading(id, 2, 21), Reading(id, 3, 22), Reading(id, 4, 23)]));
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => grain.CheckpointAsync());
        Assert.Contains("down (test)", failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(stateWrites, fixture.Storage.WritesOf(grain.GetGrainId()));
        Assert.Equal([1L], await HistorySeqsAsync(id));

        // The events stay applied in memory (queries see them), and the next checkpoint writes history, then state.
        fixture.History.Fail(id, false);
        var view = await grain.GetViewAsync();
        Assert.Equal((4L, new DeviceCounters(4, 0, 0)), (view!.LastSeq, view.Counters));
        await grain.CheckpointAsync();
        Assert.Equal(stateWrites + 1, fixture.Storage.WritesOf(grain.GetGrainId()));
        Assert.Equal([1L, 2L, 3L, 4L], await HistorySeqsAsync(id));
    }

    [Fact]
    public async Task Status_reports_and_rule_changes_carry_no_readings_and_never_call_the_writer()
    {
        var id = $"silent-{Guid.NewGuid():N}";
        await Device(id).ApplyAsync(new TelemetryBatch([Status(id, 1, DeviceStatus.Maintenance)]));
        await Device(id).SetRulesAsync([]);
        Assert.Equal(0, fixture.History.CallsWith(id));

        await Device(id).ApplyAsync(new TelemetryBatch([Reading(id, 2, 20)]));
        await Device(id).CheckpointAsync();
        Assert.Equal(1, fixture.History.CallsWith(id));
    }
}
