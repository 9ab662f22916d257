using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class FleetIndexTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Open_alarms_reach_the_fleet_read_model_and_leave_it_when_cleared()
    {
        var prefix = $"idx-{Guid.NewGuid():N}";
        var ids = Enumerable.Range(0, 20).Select(i => $"{prefix}-{i:D2}").ToList();
        await Task.WhenAll(ids.Select(id => fixture.Grains.GetGrain<IDeviceGrain>(id).ApplyAsync(new TelemetryBatch([Reading(id, 1, 95)]))));
        // The read model is fed from checkpoints.
        await Task.WhenAll(ids.Select(id => fixture.Grains.GetGrain<IDeviceGrain>(id).CheckpointAsync()));

        var mine = await OpenAlarmsOf(prefix);
        Assert.Equal(ids, mine.Select(a => a.DeviceId));

        await fixture.Grains.GetGrain<IDeviceGrain>(ids[0]).ApplyAsync(new TelemetryBatch([Status(ids[0], 2, DeviceStatus.Shutdown)]));
        await fixture.Grains.GetGrain<IDeviceGrain>(ids[0]).CheckpointAsync();
        mine = await OpenAlarmsOf(prefix);
        Assert.Equal(ids.Skip(1), mine.Select(a => a.DeviceId));

        var summary = await fixture.Queries.GetSummaryAsync();
        Assert.True(summary.DevicesByStatus.GetValueOrDefault(DeviceStatus.Shutdown) >= 1);
        Assert.True(summary.ActiveAlarmsBySeverity.GetValueOrDefault(AlarmSeverity.Critical) >= 19);
    }

    [Fact]
    public async Task Paging_walks_every_open_alarm_once_in_order()
    {
        var prefix = $"page-{Guid.NewGuid():N}";
        var ids = Enumerable.Range(0, 25).Select(i => $"{prefix}-{i:D2}").ToList();
        await Task.WhenAll(ids.Select(id => fixture.Grains.GetGrain<IDeviceGrain>(id).ApplyAsync(new TelemetryBatch([Reading(id, 1, 95), Reading(id, 2, 1)]))));
        await Task.WhenAll(ids.Select(id => fixture.Grains.GetGrain<IDeviceGrain>(id).CheckpointAsync()));

        // 95 raises temperature-high, then 1 clears it (at or below 85) and raises temperature-low: one open alarm each.
        var seen = new List<Alarm>();
        AlarmPageKey? after = null;
        for (var pages = 0; pages < 1_000; pages++)
        {
            var (items, next) = await fixture.Queries.GetOpenAlarmsAsync(after, 7, AlarmSeverity.Warning);
            seen.AddRange(items.Where(a => a.DeviceId.StartsWith(prefix, StringComparison.Ordinal)));
            if (next is null)
            {
                break;
            }

            after = next;
        }

        Assert.Equal(ids, seen.Select(a => a.DeviceId));
        Assert.All(seen, a => Assert.Equal("temperature-low", a.RuleId));
    }

    private async Task<List<Alarm>> OpenAlarmsOf(string prefix)
    {
        var (items, _) = await fixture.Queries.GetOpenAlarmsAsync(new AlarmPageKey(prefix, "a0"), 1_000, null);
        return items.Where(a => a.DeviceId.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }
}
