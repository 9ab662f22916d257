namespace OrleansFleet.Grains.HotDevices;

/// <summary>
/// Exposes one silo's <see cref="HotDeviceTracker"/> to the cluster. <see cref="SiloKeyedPlacementAttribute"/> activates
/// the grain keyed by a silo's address on that very silo, so the tracker it gets from DI is that silo's.
/// </summary>
[SiloKeyedPlacement]
public sealed class HotDevicesGrain(HotDeviceTracker tracker, ILocalSiloDetails silo) : Grain, IHotDevicesGrain
{
    public Task<HotDevicesSnapshot> GetSnapshotAsync(int limit) =>
        Task.FromResult(tracker.Snapshot(silo.SiloAddress.ToParsableString(), limit));
}
