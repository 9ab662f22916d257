using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Cluster;

/// <summary>
/// The durable offline backstop on a fake clock: one reminder per index shard finds devices whose activation (and so
/// whose offline timer) is gone. A fixture of its own, because the other fake-time tests need the backstop off.
/// </summary>
[Collection(OfflineBackstopClusterCollection.Name)]
public sealed class OfflineBackstopTests(OfflineBackstopClusterFixture fixture)
{
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
