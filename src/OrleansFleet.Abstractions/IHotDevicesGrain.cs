namespace OrleansFleet;

/// <summary>
/// One silo's hot-device tracker, reachable from anywhere in the cluster. Key: the silo's address
/// (<c>SiloAddress.ToParsableString()</c>); the grain is always activated on that silo, so it reads that silo's tracker.
/// </summary>
[Alias("fleet.IHotDevicesGrain")]
public interface IHotDevicesGrain : IGrainWithStringKey
{
    /// <summary>The heaviest devices this silo's ingest point counted over the sliding window, at most <paramref name="limit"/>.</summary>
    [Alias("GetSnapshotAsync")]
    Task<HotDevicesSnapshot> GetSnapshotAsync(int limit);
}
