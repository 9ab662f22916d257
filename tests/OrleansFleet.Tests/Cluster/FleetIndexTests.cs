using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Cluster;

/// <summary>
/// The fleet read model. On the fake-time cluster: its tests run one at a time and no timer fires unless a test
/// advances the clock, so no other test's device changes the fleet summary while one of these runs, and the change a
/// test's own devices make to it is exact.
/// </summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class FleetIndexTests(FakeTimeClusterFixture fixture)
{
    [Fact]
    public async Task Open_alarms_reach_the_fleet_read_model_and_leave_it_when_cleared()
    {
        var prefix = $"idx-{Guid.NewGuid():N}";
        var ids = Enumerable.Range(0, 20).Select(i => $"{prefix}-{i:D2}").ToList();
        var before = await fixture.Queries.GetSummaryAsync();
        await Task.WhenAll(ids.Select(id => fixture.Grains.GetGrain<IDeviceGrain>(id).ApplyAsync(new TelemetryBatch([Reading(id, 1, 95)]))));

        var mine = await OpenAlarmsOf(prefix);
        Assert.Equal(ids, mine.Select(a => a.DeviceId));

        await fixture.Grains.GetGrain<IDeviceGrain>(ids[0]).ApplyAsync(new TelemetryBatch([Status(ids[0], 2, DeviceStatus.Shutdown)]));
        mine = await OpenAlarmsOf(prefix);
        Assert.Equal(ids.Skip(1), mine.Select(a => a.DeviceId));

        // Exactly this test's devices: 20 more, one of them shut down, 19 of them (status never reported) with an open critical alarm.
        var after = await fixture.Queries.GetSummaryAsync();
        Assert.Equal(
            (20, 1, 19, 19, 0),
            (after.Devices - before.Devices,
             Count(after.DevicesByStatus, DeviceStatus.Shutdown) - Count(before.DevicesByStatus, DeviceStatus.Shutdown),
             Count(after.DevicesByStatus, DeviceStatus.Unknown) - Count(before.DevicesByStatus, DeviceStatus.Unknown),
             Count(after.ActiveAlarmsBySeverity, AlarmSeverity.Critical) - Count(before.ActiveAlarmsBySeverity, AlarmSeverity.Critical),
             after.Offline - before.Offline));
    }

    [Fact]
    public async Task Paging_walks_every_open_alarm_once_in_order()
    {
        var prefix = $"page-{Guid.NewGuid():N}";
        var ids = Enumerable.Range(0, 25).Select(i => $"{prefix}-{i:D2}").ToList();
        await Task.WhenAll(ids.Select(id => fixture.Grains.GetGrain<IDeviceGrain>(id).ApplyAsync(new TelemetryBatch([Reading(id, 1, 95), Reading(id, 2, 1)]))));

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

    [Fact]
    public async Task A_shard_write_carries_the_devices_that_changed_not_every_device_the_shard_holds()
    {
        const int Shard = 2;
        var prefix = $"wide-{Guid.NewGuid():N}";
        var ids = Enumerable.Range(0, 40_000).Select(i => $"{prefix}-{i}").Where(id => StableHash.Bucket(id, fixture.Options.IndexShards) == Shard).Take(5_000).ToList();
        var index = fixture.Grains.GetGrain<IFleetIndexGrain>(Shard);
        await Task.WhenAll(ids.Select(id => index.UpdateAsync(Summary(id, 1, DeviceStatus.Running))));
        var before = fixture.Summaries.WritesTo(Shard).Count;

        await index.UpdateAsync(Summary(ids[7], 2, DeviceStatus.Shutdown));

        var writes = fixture.Summaries.WritesTo(Shard);
        Assert.Equal(before + 1, writes.Count);
        Assert.Equal([ids[7]], writes[^1]);
        var mine = writes.SelectMany(w => w).Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(ids.Count + 1, mine.Count);

        // What a shard reads back when it activates again is every device, each at its latest version.
        var rows = (await fixture.Summaries.ReadShardAsync(Shard, CancellationToken.None)).Where(r => r.DeviceId.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(ids.Count, rows.Count);
        Assert.Equal(DeviceStatus.Shutdown, Assert.Single(rows, r => r.DeviceId == ids[7]).Status);
    }

    [Fact]
    public async Task A_stale_or_repeated_summary_is_not_written_again()
    {
        var id = $"stale-{Guid.NewGuid():N}";
        var shard = StableHash.Bucket(id, fixture.Options.IndexShards);
        var index = fixture.Grains.GetGrain<IFleetIndexGrain>(shard);
        await index.UpdateAsync(Summary(id, 3, DeviceStatus.Running));
        var before = fixture.Summaries.WritesTo(shard).Count(w => w.Contains(id));

        await index.UpdateAsync(Summary(id, 2, DeviceStatus.Fault));
        await index.UpdateAsync(Summary(id, 3, DeviceStatus.Running) with { LastHeardAt = DateTimeOffset.UtcNow.AddSeconds(1) });

        Assert.Equal(1, before);
        Assert.Equal(before, fixture.Summaries.WritesTo(shard).Count(w => w.Contains(id)));
    }

    private static DeviceSummary Summary(string id, long version, DeviceStatus status) =>
        new() { DeviceId = id, Version = version, Status = status, OpenAlarms = [], LastHeardAt = DateTimeOffset.UtcNow };

    private static int Count<TKey>(IReadOnlyDictionary<TKey, int> counts, TKey key) => counts.GetValueOrDefault(key);

    private async Task<List<Alarm>> OpenAlarmsOf(string prefix)
    {
        var (items, _) = await fixture.Queries.GetOpenAlarmsAsync(new AlarmPageKey(prefix, "a0"), 1_000, null);
        return items.Where(a => a.DeviceId.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }
}
