using Microsoft.Extensions.Options;

namespace OrleansFleet.Grains.HotDevices;

/// <summary>
/// Holds the latest hot-device report of each API process, in memory: a report is replaced every interval, so a lost
/// activation (its silo died) is whole again one interval after it is reactivated. A process whose last report is older
/// than <see cref="StaleAfterIntervals"/> intervals has stopped (or cannot reach the cluster) and is left out.
/// </summary>
public sealed class HotDeviceReportsGrain(IOptions<HotDeviceOptions> options, TimeProvider time) : Grain, IHotDeviceReportsGrain
{
    /// <summary>Missed reports after which an ingest point's counts no longer count.</summary>
    public const int StaleAfterIntervals = 3;

    private readonly Dictionary<string, HotDevicesSnapshot> _reports = new(StringComparer.Ordinal);

    public Task ReportAsync(HotDevicesSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _reports[snapshot.Silo] = snapshot;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<HotDevicesSnapshot>> GetReportsAsync()
    {
        var oldest = time.GetUtcNow() - (options.Value.Interval * StaleAfterIntervals);
        foreach (var stale in _reports.Where(r => r.Value.At < oldest).Select(r => r.Key).ToList())
        {
            _reports.Remove(stale);
        }

        return Task.FromResult<IReadOnlyList<HotDevicesSnapshot>>([.. _reports.Values]);
    }
}
