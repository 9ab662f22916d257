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
}
