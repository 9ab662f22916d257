using Microsoft.Extensions.Options;
using OrleansFleet.Grains.HotDevices;

namespace OrleansFleet.Hosting.Queries;

/// <summary>
/// The cluster-wide hot-device view: asks every active silo (the management grain's host list) for its tracker's
/// snapshot through that silo's <see cref="IHotDevicesGrain"/>, adds the latest reports of the API processes
/// (<see cref="IHotDeviceReportsGrain"/>, the cluster modes' ingest points), and merges them. A device counted by several silos
/// (requests spread by a load balancer) gets the sum, and the silo that counted most of it as its silo.
/// </summary>
internal sealed class HotDeviceQueries(IGrainFactory grains, IOptions<HotDeviceOptions> options)
{
    public async Task<HotDevicesResponse> GetAsync(int top)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        // Each silo sends its full candidate list (at most its capacity), so the merge ranks on every counter, not on
        // each silo's own top N.
        var capacity = options.Value.Capacity;
        var silos = Task.WhenAll(hosts.Keys.Select(silo => TryGetAsync(silo.ToParsableString(), capacity)));
        // The API processes of the cluster modes count at their own ingest point and report every interval.
        var reports = TryGetReportsAsync();
        var answered = (await silos).OfType<HotDevicesSnapshot>().ToList();
        var reported = await reports;
        return Merge([.. answered, .. reported], top, hosts.Count, options.Value, answered.Count, reported.Count);
    }

    internal static HotDevicesResponse Merge(IReadOnlyList<HotDevicesSnapshot> snapshots, int top, int silos, HotDeviceOptions options, int silosAnswered, int apiProcesses)
    {
        double totalRate = 0, errorRate = 0;
        var devices = new Dictionary<string, (double Rate, string Silo, double SiloRate)>(StringComparer.Ordinal);
        foreach (var snapshot in snapshots)
        {
            var seconds = snapshot.Window.TotalSeconds;
            totalRate += snapshot.TotalEvents / seconds;
            errorRate += snapshot.MaxError / seconds;
            foreach (var device in snapshot.Devices)
            {
                var rate = device.Events / seconds;
                var (sum, silo, siloRate) = devices.GetValueOrDefault(device.DeviceId, (0, snapshot.Silo, 0));
                devices[device.DeviceId] = rate > siloRate ? (sum + rate, snapshot.Silo, rate) : (sum + rate, silo, siloRate);
            }
        }

        var ranked = devices
            .OrderByDescending(d => d.Value.Rate).ThenBy(d => d.Key, StringComparer.Ordinal)
            .Take(top)
            .Select(d => new HotDevice(d.Key, Math.Round(d.Value.Rate, 3), totalRate > 0 ? Math.Round(Math.Min(1, d.Value.Rate / totalRate), 4) : 0, d.Value.Silo))
            .ToList();

        var hottest = ranked.FirstOrDefault();
        var active = hottest is not null && totalRate >= options.AlarmMinEventsPerSecond && hottest.Share >= options.AlarmShare;
        var alarm = new HotDeviceAlarm(active, active ? hottest!.DeviceId : null, active ? hottest!.Share : null, options.AlarmShare, options.AlarmMinEventsPerSecond);

        var rates = snapshots
            .SelectMany(s => s.Intervals)
            .GroupBy(i => i.Start)
            .OrderBy(g => g.Key)
            .Select(g => new IngestRate(g.Key, Math.Round(g.Sum(i => i.Events) / g.First().Length.TotalSeconds, 3)))
            .ToList();

        var window = snapshots.Count == 0 ? 0 : snapshots.Max(s => s.Window.TotalSeconds);
        return new HotDevicesResponse(Math.Round(window, 3), Math.Round(totalRate, 3), Math.Round(errorRate, 3), silos, silosAnswered, apiProcesses, alarm, ranked, rates);
    }

    // The reports are a view like the silos' trackers: when their grain cannot answer, the silos' counts still do.
    private async Task<IReadOnlyList<HotDevicesSnapshot>> TryGetReportsAsync()
    {
        try
        {
            return await grains.GetGrain<IHotDeviceReportsGrain>(0).GetReportsAsync();
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return [];
        }
    }

    // A silo that left between the host list and the call is left out of this answer rather than failing it.
    private async Task<HotDevicesSnapshot?> TryGetAsync(string silo, int limit)
    {
        try
        {
            return await grains.GetGrain<IHotDevicesGrain>(silo).GetSnapshotAsync(limit);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return null;
        }
    }
}

/// <summary>The heaviest devices across the cluster over the sliding window, as counted at the API's ingest points.</summary>
/// <param name="WindowSeconds">The span the rates are averaged over.</param>
/// <param name="TotalEventsPerSecond">The whole fleet's ingest rate.</param>
/// <param name="MaxErrorEventsPerSecond">The most any device's rate here is off by (space-saving bound).</param>
/// <param name="Silos">Active silos.</param>
/// <param name="SilosAnswered">Silos whose tracker answered.</param>
/// <param name="ApiProcesses">API processes (Orleans clients, the cluster modes) whose latest report was merged in.</param>
/// <param name="Alarm">The fleet alarm for one device taking too large a share of all traffic.</param>
/// <param name="Devices">The heaviest devices, heaviest first.</param>
/// <param name="IngestRate">The fleet's ingest rate per interval over the last minutes, oldest first.</param>
public sealed record HotDevicesResponse(
    double WindowSeconds, double TotalEventsPerSecond, double MaxErrorEventsPerSecond, int Silos, int SilosAnswered, int ApiProcesses,
    HotDeviceAlarm Alarm, IReadOnlyList<HotDevice> Devices, IReadOnlyList<IngestRate> IngestRate);

/// <summary>One hot device.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="EventsPerSecond">Its estimated rate.</param>
/// <param name="Share">Its share of all traffic, 0–1.</param>
/// <param name="Silo">The silo whose ingest point counted most of its events.</param>
public sealed record HotDevice(string DeviceId, double EventsPerSecond, double Share, string Silo);

/// <summary>The fleet-level hot-device alarm.</summary>
/// <param name="Active">Whether one device is over <paramref name="Threshold"/> of the traffic while the fleet sends at least <paramref name="MinEventsPerSecond"/>.</param>
/// <param name="DeviceId">The device over the threshold, when active.</param>
/// <param name="Share">Its share, when active.</param>
/// <param name="Threshold">The configured share (<c>Fleet:HotDevices:AlarmShare</c>).</param>
/// <param name="MinEventsPerSecond">The fleet rate below which there is no alarm (<c>Fleet:HotDevices:AlarmMinEventsPerSecond</c>).</param>
public sealed record HotDeviceAlarm(bool Active, string? DeviceId, double? Share, double Threshold, double MinEventsPerSecond);

/// <summary>The fleet's ingest rate in one interval.</summary>
/// <param name="Start">The interval's start.</param>
/// <param name="EventsPerSecond">Events per second in it.</param>
public sealed record IngestRate(DateTimeOffset Start, double EventsPerSecond);
