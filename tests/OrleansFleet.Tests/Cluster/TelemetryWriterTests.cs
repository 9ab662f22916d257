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
    public async Task A_failing_history_store_fails_the_apply_leaves_the_state_unpersisted_and_a_retry_applies_again()
    {
        var id = $"failing-{Guid.NewGuid():N}";
        var grain = Device(id);
        await grain.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20)]));
        var stateWrites = fixture.Storage.WritesOf(grain.GetGrainId());
        var batch = new TelemetryBatch([Reading(id, 2, 21), Reading(id, 3, 22), Reading(id, 4, 23)]);

        fixture.History.Fail(id, true);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => grain.ApplyAsync(batch));
        Assert.Contains("down (test)", failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(stateWrites, fixture.Storage.WritesOf(grain.GetGrainId()));
        Assert.Equal([1L], await HistorySeqsAsync(id));

        // The failed activation was dropped, so the redelivery meets the state as last persisted and applies the
        // batch for real (not as duplicates), writing its readings once.
        fixture.History.Fail(id, false);
        await grain.ApplyAsync(batch);
        var view = await grain.GetViewAsync();
        Assert.Equal((4L, new DeviceCounters(4, 0, 0)), (view!.LastSeq, view.Counters));
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
        Assert.Equal(1, fixture.History.CallsWith(id));
    }
}
