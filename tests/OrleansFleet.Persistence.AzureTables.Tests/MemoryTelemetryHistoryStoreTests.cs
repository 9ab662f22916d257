namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>The embedded mode's store keeps the same contract, and its bound.</summary>
public sealed class MemoryTelemetryHistoryStoreTests : TelemetryHistoryContract
{
    private readonly MemoryTelemetryHistoryStore _store = new();

    protected override ITelemetryHistoryStore Store => _store;

    [Fact]
    public async Task Keeps_only_the_newest_readings_per_device()
    {
        MemoryTelemetryHistoryStore small = new(capacityPerDevice: 3);
        string device = NewDevice();

        await small.WriteAsync([.. Enumerable.Range(1, 5).Select(i => Reading(device, i, i))], CancellationToken.None);
        await small.WriteAsync([Reading(device, 1, 1)], CancellationToken.None);
        TelemetryPage page = await small.QueryAsync(device, null, null, 10, null, CancellationToken.None);

        Assert.Equal([5L, 4, 3], page.Items.Select(r => r.Seq!.Value));
    }

    [Fact]
    public async Task Keeps_the_newest_readings_whatever_order_they_arrive_in_and_pages_them_newest_first()
    {
        MemoryTelemetryHistoryStore small = new(capacityPerDevice: 8);
        string device = NewDevice();
        // Mostly ascending with readings that arrive late, in several writes, many times the capacity.
        long[] order = [.. Enumerable.Range(1, 60).Select(i => (long)i).OrderBy(i => i % 7 == 0 ? i - 5 : i)];
        foreach (long[] chunk in order.Chunk(9))
        {
            await small.WriteAsync([.. chunk.Select(i => Reading(device, i, (int)i))], CancellationToken.None);
        }

        List<long> seen = [];
        string? token = null;
        do
        {
            TelemetryPage page = await small.QueryAsync(device, null, null, 3, token, CancellationToken.None);
            seen.AddRange(page.Items.Select(r => r.Seq!.Value));
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal([60L, 59, 58, 57, 56, 55, 54, 53], seen);
    }
}
