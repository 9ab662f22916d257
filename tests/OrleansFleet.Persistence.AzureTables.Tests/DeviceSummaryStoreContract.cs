namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>What every <see cref="IDeviceSummaryStore"/> must do, run against each store.</summary>
public abstract class DeviceSummaryStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    protected abstract IDeviceSummaryStore Store { get; }

    /// <summary>A shard number no other test uses, so tests sharing a store never see each other's rows.</summary>
    protected static int NewShard() => Random.Shared.Next(1_000, 9_999);

    protected static DeviceSummary Summary(string id, long version, DeviceStatus status = DeviceStatus.Running, bool offline = false, IReadOnlyList<Alarm>? alarms = null) => new()
    {
        DeviceId = id,
        Version = version,
        Status = status,
        Offline = offline,
        OpenAlarms = alarms ?? [],
        LastHeardAt = T0.AddSeconds(version),
    };

    [Fact]
    public async Task Rows_round_trip_every_field_of_the_summary()
    {
        int shard = NewShard();
        Alarm alarm = new() { Id = "a3", DeviceId = "dev.1:x-y", RuleId = "temperature-high", Metric = "temp.c", Severity = AlarmSeverity.Critical, State = AlarmState.Acknowledged, Value = 97.25, RaisedAt = T0, RaisedBySeq = 41, AcknowledgedAt = T0.AddSeconds(3), BreachCount = 4 };
        DeviceSummary written = Summary("dev.1:x-y", 7, DeviceStatus.Maintenance, offline: true, alarms: [alarm]);

        await Store.UpsertAsync(shard, [written], CancellationToken.None);
        DeviceSummary read = Assert.Single(await Store.ReadShardAsync(shard, CancellationToken.None));

        Assert.Equal((written.DeviceId, written.Version, written.Status, written.Offline, written.LastHeardAt), (read.DeviceId, read.Version, read.Status, read.Offline, read.LastHeardAt));
        Assert.Equal(alarm, Assert.Single(read.OpenAlarms));
    }

    [Fact]
    public async Task Devices_with_hundreds_of_open_alarms_round_trip_and_shrink_back()
    {
        int shard = NewShard();
        string[] ids = [.. Enumerable.Range(0, 40).Select(i => $"busy-{i:D2}")];
        DeviceSummary[] busy = [.. ids.Select(id => Summary(id, 1, alarms: ManyAlarms(id, 256)))];

        // About 100,000 characters of alarms per device, 4 MB in all: more than one column, and more than one transaction.
        await Store.UpsertAsync(shard, busy, CancellationToken.None);
        await Store.UpsertAsync(shard, [Summary(ids[0], 2, alarms: ManyAlarms(ids[0], 1))], CancellationToken.None);
        Dictionary<string, DeviceSummary> read = (await Store.ReadShardAsync(shard, CancellationToken.None)).ToDictionary(r => r.DeviceId);

        Assert.Equal(ids.Length, read.Count);
        Assert.Equal(busy[1].OpenAlarms, read[ids[1]].OpenAlarms);
        Assert.Equal(ManyAlarms(ids[0], 1), read[ids[0]].OpenAlarms);
    }

    private static List<Alarm> ManyAlarms(string deviceId, int count) =>
        [.. Enumerable.Range(1, count).Select(i => new Alarm
        {
            Id = $"a{i}",
            DeviceId = deviceId,
            RuleId = $"rule-{i:D3}-" + new string('r', 100),
            Metric = "metric." + new string('m', 100),
            Severity = AlarmSeverity.Warning,
            Value = i,
            RaisedAt = T0.AddSeconds(i),
            RaisedBySeq = i,
        })];

    [Fact]
    public async Task An_upsert_replaces_the_device_row_and_leaves_the_others_alone()
    {
        int shard = NewShard();
        await Store.UpsertAsync(shard, [.. Enumerable.Range(0, 250).Select(i => Summary($"d{i:D3}", 1))], CancellationToken.None);

        await Store.UpsertAsync(shard, [Summary("d007", 2, DeviceStatus.Fault)], CancellationToken.None);
        IReadOnlyList<DeviceSummary> rows = await Store.ReadShardAsync(shard, CancellationToken.None);

        Assert.Equal(250, rows.Count);
        Assert.Equal(250, rows.Select(r => r.DeviceId).Distinct().Count());
        Assert.Equal((2L, DeviceStatus.Fault), rows.Where(r => r.DeviceId == "d007").Select(r => (r.Version, r.Status)).Single());
        Assert.All(rows.Where(r => r.DeviceId != "d007"), r => Assert.Equal(1, r.Version));
    }

    [Fact]
    public async Task Shards_are_apart_and_an_unknown_shard_is_empty()
    {
        int shard = NewShard();
        await Store.UpsertAsync(shard, [Summary("a", 1)], CancellationToken.None);
        await Store.UpsertAsync(shard + 1, [Summary("b", 1)], CancellationToken.None);

        Assert.Equal(["a"], (await Store.ReadShardAsync(shard, CancellationToken.None)).Select(r => r.DeviceId));
        Assert.Equal(["b"], (await Store.ReadShardAsync(shard + 1, CancellationToken.None)).Select(r => r.DeviceId));
        Assert.Empty(await Store.ReadShardAsync(shard + 2, CancellationToken.None));
    }
}
