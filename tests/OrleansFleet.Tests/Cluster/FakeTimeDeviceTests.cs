using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Cluster;

/// <summary>Grain timers on a fake clock: time moves only when the test advances it, so nothing sleeps.</summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class FakeTimeDeviceTests(FakeTimeClusterFixture fixture)
{
    /// <summary>How much before their due time timers fire in the tests of early timers.</summary>
    private static readonly TimeSpan Early = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs <paramref name="steps"/> with timers created or re-pointed meanwhile firing <see cref="Early"/>.</summary>
    private async Task WhileTimersFireEarlyAsync(Func<Task> steps)
    {
        fixture.Timers!.FireEarlyBy = Early;
        try
        {
            await steps();
        }
        finally
        {
            fixture.Timers.FireEarlyBy = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task State_is_written_once_per_checkpoint_not_once_per_batch()
    {
        var id = $"batch-{Guid.NewGuid():N}";
        var grain = fixture.Grains.GetGrain<IDeviceGrain>(id);
        await grain.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20)]));
        await grain.CheckpointAsync();
        var before = fixture.Storage.WritesOf(grain.GetGrainId());

        for (var seq = 2; seq <= 51; seq += 5)
        {
            await grain.ApplyAsync(new TelemetryBatch([.. Enumerable.Range(seq, 5).Select(s => Reading(id, s, 20 + s))]));
        }

        // Applied in memory at once, written by the checkpoint: ten batches, one write. (On the fake clock no periodic
        // checkpoint can land between the batches, as it could on a slow machine's real clock.)
        Assert.Equal(51, (await grain.GetViewAsync())!.Counters.Applied);
        await grain.CheckpointAsync();
        await grain.CheckpointAsync();
        Assert.Equal(before + 1, fixture.Storage.WritesOf(grain.GetGrainId()));
    }

    [Fact]
    public async Task A_device_checkpoints_itself_after_an_interval_but_leaves_what_a_partition_fed_to_the_barrier_for_two()
    {
        var direct = fixture.Grains.GetGrain<IDeviceGrain>($"own-{Guid.NewGuid():N}");
        var fed = fixture.Grains.GetGrain<IDeviceGrain>($"fed-{Guid.NewGuid():N}");
        var now = fixture.Time!.GetUtcNow();
        await direct.ApplyAsync(new TelemetryBatch([Reading(direct.GetPrimaryKeyString(), 1, 20, now)]));
        // A batch with a stream time is what a partition consumer delivers; its barrier checkpoints every interval.
        await fed.ApplyAsync(new TelemetryBatch([Reading(fed.GetPrimaryKeyString(), 1, 20, now)], StreamTime: now));
        var (directBefore, fedBefore) = (fixture.Storage.WritesOf(direct.GetGrainId(), "device"), fixture.Storage.WritesOf(fed.GetGrainId(), "device"));

        fixture.Time.Advance(fixture.Options.Checkpoint.Interval);

        // Once the direct device's own timer has checkpointed, a timer of the fed one at the same interval would have too.
        await Eventually.Async(() => Task.FromResult(fixture.Storage.WritesOf(direct.GetGrainId(), "device")), w => w == directBefore + 1, because: "a direct call's events are checkpointed after one interval");
        await fed.GetViewAsync();
        Assert.Equal(fedBefore, fixture.Storage.WritesOf(fed.GetGrainId(), "device"));

        // No barrier came: the fed device's backstop checkpoints at two intervals.
        fixture.Time.Advance(fixture.Options.Checkpoint.Interval);
        await Eventually.Async(() => Task.FromResult(fixture.Storage.WritesOf(fed.GetGrainId(), "device")), w => w == fedBefore + 1, because: "the backstop should checkpoint what the partition fed after two intervals");
    }

    [Fact]
    public async Task A_held_gap_expires_after_the_hold_time_and_the_timer_applies_it()
    {
        var id = $"gap-{Guid.NewGuid():N}";
        var device = fixture.Grains.GetGrain<IDeviceGrain>(id);
        var now = fixture.Time!.GetUtcNow();
        await device.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20, now), Reading(id, 3, 22, now)]));
        Assert.Equal((1L, 1), ((await device.GetViewAsync())!.LastSeq, (await device.GetViewAsync())!.Pending));

        fixture.Time.Advance(fixture.Options.ReorderHoldTime);

        var view = await Eventually.Async(() => device.GetViewAsync(), v => v!.LastSeq == 3, because: "the hold timer should apply seq 3");
        Assert.Equal((0, 1L, 22.0), (view!.Pending, view.Counters.Gaps, view.Metrics["temperature"]));
    }

    [Fact]
    public async Task A_silent_device_goes_offline_by_timer_and_the_next_event_brings_it_back()
    {
        var id = $"quiet-{Guid.NewGuid():N}";
        var device = fixture.Grains.GetGrain<IDeviceGrain>(id);
        await device.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20, fixture.Time!.GetUtcNow())]));

        fixture.Time.Advance(fixture.Options.OfflineAfter);

        var view = await Eventually.Async(() => device.GetViewAsync(), v => v!.Offline, because: "the offline timer should fire");
        Assert.Equal(AlarmRules.OfflineRuleId, Assert.Single(view!.ActiveAlarms).RuleId);

        await device.ApplyAsync(new TelemetryBatch([Reading(id, 2, 20, fixture.Time.GetUtcNow())]));
        view = await device.GetViewAsync();
        Assert.False(view!.Offline);
        Assert.Empty(view.ActiveAlarms);
        Assert.Equal("online", Assert.Single((await device.GetAlarmsAsync(includeCleared: true))!).ClearReason);
    }
    [Fact]
    public async Task A_hold_timer_that_fires_early_re_arms_and_applies_the_gap_at_its_due_time()
    {
        var id = $"early-gap-{Guid.NewGuid():N}";
        var device = fixture.Grains.GetGrain<IDeviceGrain>(id);
        await WhileTimersFireEarlyAsync(async () =>
        {
            var now = fixture.Time!.GetUtcNow();
            await device.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20, now), Reading(id, 3, 22, now)]));

            // The hold timer fires 50 ms before the held event is due: nothing is due yet.
            fixture.Time.Advance(fixture.Options.ReorderHoldTime - Early);
            var view = await device.GetViewAsync();
            Assert.Equal((1L, 1), (view!.LastSeq, view.Pending));
        });

        fixture.Time!.Advance(Early + Early);

        var applied = await Eventually.Async(() => device.GetViewAsync(), v => v!.LastSeq == 3, seconds: 10, because: "the re-armed hold timer should apply seq 3");
        Assert.Equal((0, 1L, 22.0, false), (applied!.Pending, applied.Counters.Gaps, applied.Metrics["temperature"], applied.Offline));
        Assert.Empty(applied.ActiveAlarms);
    }

    [Fact]
    public async Task An_offline_timer_that_fires_early_re_arms_and_marks_the_device_offline_at_its_due_time()
    {
        var id = $"early-quiet-{Guid.NewGuid():N}";
        var device = fixture.Grains.GetGrain<IDeviceGrain>(id);
        await WhileTimersFireEarlyAsync(async () =>
        {
            await device.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20, fixture.Time!.GetUtcNow())]));

            // The offline timer fires 50 ms before the device has been silent for the offline window: still online.
            fixture.Time.Advance(fixture.Options.OfflineAfter - Early);
            Assert.False((await device.GetViewAsync())!.Offline);
        });

        fixture.Time!.Advance(Early + Early);

        var view = await Eventually.Async(() => device.GetViewAsync(), v => v!.Offline, seconds: 10, because: "the re-armed offline timer should fire");
        Assert.Equal(AlarmRules.OfflineRuleId, Assert.Single(view!.ActiveAlarms).RuleId);
    }
}
