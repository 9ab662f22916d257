using OrleansFleet.Grains.Domain;

namespace OrleansFleet.Tests.Domain;

public sealed class FleetShardTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private static DeviceSummary Summary(string id, long version, DateTimeOffset? heard, bool offline = false) =>
        new() { DeviceId = id, Version = version, Offline = offline, OpenAlarms = [], LastHeardAt = heard };

    [Fact]
    public void Only_newer_versions_count_as_changes_and_each_is_taken_once()
    {
        var shard = new FleetShard([Summary("a", 2, Now)]);

        Assert.Equal(ShardChange.Ignored, shard.Apply(Summary("a", 1, Now)));
        Assert.Equal(ShardChange.Ignored, shard.Apply(Summary("a", 2, Now)));
        Assert.Equal(ShardChange.Changed, shard.Apply(Summary("a", 3, Now)));
        Assert.Equal(ShardChange.Changed, shard.Apply(Summary("b", 1, Now)));
        Assert.Equal(ShardChange.Changed, shard.Apply(Summary("a", 4, Now)));

        var taken = shard.TakeChanged();
        Assert.Equal([("a", 4L), ("b", 1L)], taken.Select(s => (s.DeviceId, s.Version)).Order());
        Assert.Empty(shard.TakeChanged());
        Assert.Equal(2, shard.Count);
    }

    [Fact]
    public void A_later_heard_time_at_the_same_version_is_kept_without_counting_as_a_change()
    {
        var shard = new FleetShard([Summary("a", 2, Now - Window)]);

        Assert.Equal(ShardChange.Refreshed, shard.Apply(Summary("a", 2, Now)));
        Assert.Equal(ShardChange.Ignored, shard.Apply(Summary("a", 2, Now - Window)));

        Assert.Empty(shard.TakeChanged());
        Assert.Empty(shard.Overdue(Now + Window - TimeSpan.FromSeconds(1), Window));
    }

    [Fact]
    public void Rows_whose_write_failed_are_carried_by_the_next_write_at_their_latest_version()
    {
        var shard = new FleetShard([]);
        shard.Apply(Summary("a", 1, Now));
        var failed = shard.TakeChanged();
        shard.Apply(Summary("a", 2, Now));

        shard.Unwritten(failed);

        Assert.Equal(2, Assert.Single(shard.TakeChanged()).Version);
    }

    [Fact]
    public void Overdue_are_the_online_devices_silent_for_the_window()
    {
        var shard = new FleetShard(
        [
            Summary("silent", 1, Now - Window),
            Summary("recent", 1, Now - Window + TimeSpan.FromSeconds(1)),
            Summary("already-offline", 1, Now - (2 * Window), offline: true),
            Summary("unknown", 1, null),
        ]);

        Assert.Equal(["silent"], shard.Overdue(Now, Window));
    }
}
