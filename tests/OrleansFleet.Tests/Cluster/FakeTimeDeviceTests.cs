using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Cluster;

/// <summary>Grain timers on a fake clock: time moves only when the test advances it, so nothing sleeps.</summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class FakeTimeDeviceTests(FakeTimeClusterFixture fixture)
{
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
    public async Task A_device_whose_activation_is_gone_is_marked_offline_by_its_index_shard_backstop()
    {
        var id = $"lost-{Guid.NewGuid():N}";
        var device = fixture.Grains.GetGrain<IDeviceGrain>(id);
        await device.ApplyAsync(new TelemetryBatch([Reading(id, 1, 20, fixture.Time!.GetUtcNow())]));

        // Its offline timer goes with the activation, and nothing else will call the device again.
        await fixture.Cluster.DeactivateAsync(device.GetGrainId());
        fixture.Time.Advance(fixture.Options.OfflineAfter);

        // Only the read model is read: asking the device would activate it and let its own timer do the work.
        // Each step of the fake clock lets one backstop tick run; the tick's calls then take real (short) time.
        var shown = false;
        for (var tick = 0; tick < 10 && !shown; tick++)
        {
            fixture.Time.Advance(fixture.Options.OfflineBackstopPeriod);
            var deadline = DateTime.UtcNow.AddSeconds(2);
            while (!(shown = await ShownOfflineAsync(id)) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }

        Assert.True(shown, "the shard's backstop reminder should have marked the device offline");
    }

    private async Task<bool> ShownOfflineAsync(string id)
    {
        var (alarms, _) = await fixture.Queries.GetOpenAlarmsAsync(new AlarmPageKey(id, "a0"), 10, null);
        return alarms.Any(a => a.DeviceId == id && a.RuleId == AlarmRules.OfflineRuleId);
    }
}
