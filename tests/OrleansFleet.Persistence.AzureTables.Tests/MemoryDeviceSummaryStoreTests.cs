namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>The embedded mode's rows keep the same contract.</summary>
public sealed class MemoryDeviceSummaryStoreTests : DeviceSummaryStoreContract
{
    private readonly MemoryDeviceSummaryStore _store = new();

    protected override IDeviceSummaryStore Store => _store;
}
