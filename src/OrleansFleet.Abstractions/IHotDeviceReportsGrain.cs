namespace OrleansFleet;

/// <summary>
/// The hot-device counts of ingest points that are not silos: the API processes of the cluster modes, Orleans clients
/// that cannot host a grain of their own. Each reports its tracker's snapshot every interval; <c>GET /api/fleet/hot</c>
/// merges the latest report of every process still reporting with the silos' own trackers. One activation (key 0).
/// </summary>
[Alias("fleet.IHotDeviceReportsGrain")]
public interface IHotDeviceReportsGrain : IGrainWithIntegerKey
{
    /// <summary>Keeps <paramref name="snapshot"/> as the latest report of the ingest point it names (<see cref="HotDevicesSnapshot.Silo"/>).</summary>
    [Alias("ReportAsync")]
    Task ReportAsync(HotDevicesSnapshot snapshot);

    /// <summary>The latest report of every ingest point that reported recently; one that stopped reporting is left out.</summary>
    [Alias("GetReportsAsync")]
    Task<IReadOnlyList<HotDevicesSnapshot>> GetReportsAsync();
}
