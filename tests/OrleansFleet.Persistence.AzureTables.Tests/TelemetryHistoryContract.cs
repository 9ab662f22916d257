namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>The query and idempotence semantics every <see cref="ITelemetryHistoryStore"/> must have, run against each store.</summary>
public abstract class TelemetryHistoryContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected abstract ITelemetryHistoryStore Store { get; }

    protected static string NewDevice() => $"dev-{Guid.NewGuid():N}";

    protected static TelemetryEvent Reading(string device, long? seq, int second, double temperature = 20, DeviceStatus? status = null) =>
        new(device, seq, T0.AddSeconds(second), new Dictionary<string, double> { ["temp.c"] = temperature, ["fan:rpm-1"] = second * 100 }, status);

    /// <summary>Ten readings, seq n at second n.</summary>
    protected async Task<string> WriteTenAsync()
    {
        string device = NewDevice();
        await Store.WriteAsync([.. Enumerable.Range(1, 10).Select(i => Reading(device, i, i))], CancellationToken.None);
        return device;
    }

    private async Task<List<TelemetryEvent>> ReadAllAsync(string device, DateTimeOffset? from, DateTimeOffset? to, int limit)
    {
        List<TelemetryEvent> all = [];
        string? token = null;
        do
        {
            TelemetryPage page = await Store.QueryAsync(device, from, to, limit, token, CancellationToken.None);
            Assert.InRange(page.Items.Count, 0, limit);
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }

    [Fact]
    public async Task Range_is_inclusive_at_both_ends_and_newest_first()
    {
        string device = await WriteTenAsync();

        TelemetryPage page = await Store.QueryAsync(device, T0.AddSeconds(3), T0.AddSeconds(7), 100, null, CancellationToken.None);

        Assert.Equal([7L, 6, 5, 4, 3], page.Items.Select(r => r.Seq!.Value));
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task Limit_1_pages_through_the_range_with_tokens_and_ends_without_one()
    {
        string device = await WriteTenAsync();

        List<TelemetryEvent> all = await ReadAllAsync(device, T0.AddSeconds(3), T0.AddSeconds(7), 1);

        Assert.Equal([7L, 6, 5, 4, 3], all.Select(r => r.Seq!.Value));
    }

    [Fact]
    public async Task Pages_of_three_without_bounds_cover_everything_once()
    {
        string device = await WriteTenAsync();

        TelemetryPage first = await Store.QueryAsync(device, null, null, 3, null, CancellationToken.None);
        List<TelemetryEvent> all = await ReadAllAsync(device, null, null, 3);

        Assert.Equal([10L, 9, 8], first.Items.Select(r => r.Seq!.Value));
        Assert.NotNull(first.ContinuationToken);
        Assert.Equal(Enumerable.Range(1, 10).Reverse().Select(i => (long)i), all.Select(r => r.Seq!.Value));
    }

    [Fact]
    public async Task Empty_range_and_unknown_device_give_an_empty_last_page()
    {
        string device = await WriteTenAsync();

        TelemetryPage empty = await Store.QueryAsync(device, T0.AddSeconds(20), T0.AddSeconds(30), 5, null, CancellationToken.None);
        TelemetryPage unknown = await Store.QueryAsync(NewDevice(), null, null, 5, null, CancellationToken.None);

        Assert.Empty(empty.Items);
        Assert.Null(empty.ContinuationToken);
        Assert.Empty(unknown.Items);
    }

    [Theory]
    [InlineData("not a token!")]
    [InlineData("aGVsbG8")]
    [InlineData("")]
    // The row-key shape with digits past long and ulong ("9999999999999999999_99999999999999999999"), as the fuzz test forged it.
    [InlineData("OTk5OTk5OTk5OTk5OTk5OTk5OV85OTk5OTk5OTk5OTk5OTk5OTk5OQ")]
    public async Task Bad_token_is_an_ArgumentException_that_says_so(string token)
    {
        string device = await WriteTenAsync();

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(
            () => Store.QueryAsync(device, null, null, 5, token, CancellationToken.None));

        Assert.Contains("continuation token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_limit_range_or_device_id_is_an_ArgumentException()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.QueryAsync("dev-1", null, null, 0, null, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.QueryAsync("dev-1", null, null, 1001, null, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.QueryAsync("dev-1", T0.AddSeconds(2), T0, 5, null, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.QueryAsync("dev/1'", null, null, 5, null, CancellationToken.None));
    }

    [Fact]
    public async Task Redelivered_readings_overwrite_their_own_rows()
    {
        string device = NewDevice();
        TelemetryEvent[] readings = [.. Enumerable.Range(1, 150).Select(i => Reading(device, i, i))];

        await Store.WriteAsync(readings, CancellationToken.None);
        await Store.WriteAsync([.. readings, .. readings.Take(10)], CancellationToken.None);

        List<TelemetryEvent> all = await ReadAllAsync(device, null, null, 1000);
        Assert.Equal(150, all.Count);
        Assert.Equal(150, all.Select(r => r.Seq).Distinct().Count());
    }

    [Fact]
    public async Task Readings_round_trip_metrics_status_and_exact_time()
    {
        string device = NewDevice();
        TelemetryEvent reading = new(device, 42, T0.AddTicks(1234567), new Dictionary<string, double> { ["temp.c"] = 21.125, ["a:b-c"] = -1e-7 }, DeviceStatus.Maintenance);
        TelemetryEvent heartbeat = new(device, 43, T0.AddSeconds(1), new Dictionary<string, double>());

        await Store.WriteAsync([reading, heartbeat], CancellationToken.None);
        TelemetryPage page = await Store.QueryAsync(device, null, null, 10, null, CancellationToken.None);

        Assert.Equal(2, page.Items.Count);
        TelemetryEvent read = page.Items[1];
        Assert.Equal(reading.Timestamp, read.Timestamp);
        Assert.Equal(42, read.Seq);
        Assert.Equal(DeviceStatus.Maintenance, read.Status);
        Assert.Equal(reading.Metrics.OrderBy(m => m.Key), read.Metrics.OrderBy(m => m.Key));
        Assert.Empty(page.Items[0].Metrics);
        Assert.Null(page.Items[0].Status);
    }

    [Fact]
    public async Task Same_instant_orders_by_seq_and_seqless_readings_are_keyed_by_content()
    {
        string device = NewDevice();
        TelemetryEvent seqless = Reading(device, null, 5, temperature: 30);

        await Store.WriteAsync([Reading(device, 7, 5), Reading(device, 8, 5), seqless], CancellationToken.None);
        await Store.WriteAsync([seqless, Reading(device, null, 5, temperature: 31)], CancellationToken.None);
        TelemetryPage page = await Store.QueryAsync(device, T0.AddSeconds(5), T0.AddSeconds(5), 10, null, CancellationToken.None);

        Assert.Equal(4, page.Items.Count);
        Assert.Equal([8L, 7], page.Items.Take(2).Select(r => r.Seq!.Value));
        Assert.All(page.Items.Skip(2), r => Assert.Null(r.Seq));
        Assert.Equal([30.0, 31.0], page.Items.Skip(2).Select(r => r.Metrics["temp.c"]).Order());
    }
}
