using Microsoft.Extensions.Options;
using OrleansFleet.Grains;

namespace OrleansFleet.Hosting.Queries;

/// <summary>Answers fleet-wide questions from the read model shards, never from the device grains.</summary>
public sealed class FleetQueries(IGrainFactory grains, IOptions<FleetOptions> options)
{
    private readonly int _shards = options.Value.IndexShards;

    /// <summary>The fleet summary: the shards' parts added up.</summary>
    public async Task<FleetSummary> GetSummaryAsync()
    {
        var parts = await Task.WhenAll(Shards().Select(s => s.GetSummaryAsync()));
        return parts.Aggregate(FleetSummary.Empty, FleetSummary.Combine);
    }

    /// <summary>
    /// One page of open alarms in (deviceId, alarmId) order: each shard returns its first <paramref name="limit"/>
    /// after the key, and the merge keeps the first <paramref name="limit"/> overall, so paging is stable while alarms
    /// come and go.
    /// </summary>
    public async Task<(IReadOnlyList<Alarm> Items, AlarmPageKey? Next)> GetOpenAlarmsAsync(AlarmPageKey? after, int limit, AlarmSeverity? severity)
    {
        var parts = await Task.WhenAll(Shards().Select(s => s.GetOpenAlarmsAsync(after, limit + 1, severity)));
        var merged = parts.SelectMany(p => p).OrderBy(AlarmPageKey.Of, AlarmPageKey.Order).Take(limit + 1).ToList();
        var hasMore = merged.Count > limit;
        var page = merged.Take(limit).ToList();
        return (page, hasMore ? AlarmPageKey.Of(page[^1]) : null);
    }

    private IEnumerable<IFleetIndexGrain> Shards() => Enumerable.Range(0, _shards).Select(i => grains.GetGrain<IFleetIndexGrain>(i));
}
