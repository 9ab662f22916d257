using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class DeviceGrainTests(ClusterFixture fixture)
{
    private static string NewDevice(string name) => $"{name}-{Guid.NewGuid():N}";

    private IDeviceGrain Device(string id) => fixture.Grains.GetGrain<IDeviceGrain>(id);

    [Fact]
    public async Task Chiller_overheat_shutdown_overheat_gives_the_same_alarm_history_in_all_six_arrival_orders()
    {
        var histories = new List<string>();
        foreach (var order in Enumerable.Range(0, 6))
        {
            var id = NewDevice("chiller");
            TelemetryEvent[] chiller = [Reading(id, 1, 110), Status(id, 2, DeviceStatus.Shutdown), Reading(id, 3, 120)];
            // Each event is its own grain call, in this arrival order.
            foreach (var e in Permutations(chiller).ElementAt(order))
            {
                await Device(id).ApplyAsync(new TelemetryBatch([e]));
            }

            var alarms = await Device(id).GetAlarmsAsync(includeCleared: true);
            Assert.DoesNotContain(alarms!, a => a.IsOpen);
            histories.Add(string.Join(" | ", alarms!.Select(a => $"{a.Id} {a.RuleId} {a.State} by seq {a.RaisedBySeq} value {a.Value} at {a.RaisedAt:O} cleared {a.ClearReason} at {a.ClearedAt:O}")));
        }

        Assert.Single(histories.Distinct());
        Assert.Contains("a1 temperature-high Cleared by seq 1 value 110", histories[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_writes_the_cold_state_only_when_cleared_alarms_or_rule_overrides_changed()
    {
        var id = NewDevice("cold");
        var grain = Device(id);
        int Hot() => fixture.Storage.WritesOf(grain.GetGrainId(), "device");
        int Cold() => fixture.Storage.WritesOf(grain.GetGrainId(), "device-cold");

        await grain.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20)]));
        await grain.CheckpointAsync();
        Assert.Equal((1, 0), (Hot(), Cold()));

        // An overheat cleared by the next reading: the cleared alarm goes to the history, which is cold.
        await grain.ApplyAsync(new TelemetryBatch([Reading(id, 2, 95), Reading(id, 3, 20)]));
        await grain.CheckpointAsync();
        Assert.Equal((2, 1), (Hot(), Cold()));

        await grain.ApplyAsync(new TelemetryBatch([Reading(id, 4, 21)]));
        await grain.CheckpointAsync();
        Assert.Equal((3, 1), (Hot(), Cold()));

        await grain.SetRulesAsync([TestRules.TemperatureHigh with { Threshold = 50, ClearThreshold = 45 }]);
        Assert.Equal((4, 2), (Hot(), Cold()));
        Assert.Single((await grain.GetAlarmsAsync(includeCleared: true))!);
    }

    [Fact]
    public async Task A_device_checkpoints_by_itself_within_the_interval_after_its_first_unpersisted_event()
    {
        var id = NewDevice("cadence");
        var grain = Device(id);
        await grain.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20)]));

        var stored = new GrainState<Grains.State.DeviceState>();
        await Eventually.Async(
            async () =>
            {
                await fixture.Storage.ReadStateAsync("device", grain.GetGrainId(), stored);
                return stored.State?.LastSeq ?? 0;
            },
            seq => seq == 1,
            because: "the checkpoint timer should persist the device within Fleet:Checkpoint:Interval");
    }

    [Fact]
    public async Task An_acknowledgement_is_persisted_before_it_answers()
    {
        var id = NewDevice("ack");
        var grain = Device(id);
        await grain.ApplyAsync(new TelemetryBatch([Reading(id, 1, 95)]));
        var alarm = Assert.Single((await grain.GetViewAsync())!.ActiveAlarms);

        Assert.Equal(AcknowledgeOutcome.Acknowledged, (await grain.AcknowledgeAlarmAsync(alarm.Id)).Outcome);

        var stored = new GrainState<Grains.State.DeviceState>();
        await fixture.Storage.ReadStateAsync("device", grain.GetGrainId(), stored);
        Assert.Equal(AlarmState.Acknowledged, Assert.Single(stored.State!.OpenAlarms).State);
    }

    [Fact]
    public async Task A_redelivered_batch_is_counted_as_duplicates_and_applied_once()
    {
        var id = NewDevice("replay");
        var batch = new TelemetryBatch([.. Enumerable.Range(1, 10).Select(seq => Reading(id, seq, 95))]);
        await Device(id).ApplyAsync(batch);
        await Device(id).ApplyAsync(batch);

        var view = await Device(id).GetViewAsync();
        Assert.Equal(new DeviceCounters(10, 10, 0), view!.Counters);
        Assert.Equal(10, Assert.Single(view.ActiveAlarms).BreachCount);
    }

    [Fact]
    public async Task Held_events_are_checkpointed_with_the_device_state()
    {
        var id = NewDevice("held");
        await Device(id).ApplyAsync(new TelemetryBatch([Reading(id, 2, 20), Reading(id, 3, 21)]));
        await Device(id).CheckpointAsync();

        var stored = new GrainState<Grains.State.DeviceState>();
        await fixture.Storage.ReadStateAsync("device", Device(id).GetGrainId(), stored);
        Assert.Equal([2L, 3L], stored.State!.Pending.Select(e => e.Seq!.Value));

        var view = await Device(id).GetViewAsync();
        Assert.Equal((0L, 2), (view!.LastSeq, view.Pending));

        await Device(id).ApplyAsync(new TelemetryBatch([Reading(id, 1, 19)]));
        view = await Device(id).GetViewAsync();
        Assert.Equal((3L, 0, 21.0), (view!.LastSeq, view.Pending, view.Metrics["temperature"]));
    }

    [Fact]
    public async Task An_event_for_another_device_is_refused_and_nothing_of_the_batch_is_applied()
    {
        var id = NewDevice("mixed");
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Device(id).ApplyAsync(new TelemetryBatch([Reading(id, 1, 20), Reading("someone-else", 1, 20)])));
        Assert.Contains("someone-else", ex.Message, StringComparison.Ordinal);
        Assert.Null(await Device(id).GetViewAsync());
    }

    [Fact]
    public async Task A_device_that_never_reported_has_no_view_and_no_alarms()
    {
        var id = NewDevice("ghost");
        Assert.Null(await Device(id).GetViewAsync());
        Assert.Null(await Device(id).GetAlarmsAsync(includeCleared: true));
        Assert.Equal(AcknowledgeOutcome.NotFound, (await Device(id).AcknowledgeAlarmAsync("a1")).Outcome);
    }

    [Fact]
    public async Task Rule_overrides_persist_and_apply_to_later_readings()
    {
        var id = NewDevice("rules");
        var rules = await Device(id).SetRulesAsync([TestRules.TemperatureHigh with { Threshold = 50, ClearThreshold = 45 }]);
        Assert.Equal(50, rules.Effective.Single(r => r.Id == "temperature-high").Threshold);

        await Device(id).ApplyAsync(new TelemetryBatch([Reading(id, 1, 60)]));
        Assert.Equal("temperature-high", Assert.Single((await Device(id).GetViewAsync())!.ActiveAlarms).RuleId);
        Assert.Single((await Device(id).GetRulesAsync()).Overrides);
    }
}
