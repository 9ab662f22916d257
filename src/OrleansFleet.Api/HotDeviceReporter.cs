using Microsoft.Extensions.Options;
using OrleansFleet.Grains.HotDevices;

namespace OrleansFleet.Api;

/// <summary>
/// Reports this process's hot-device tracker (fed at its ingest point, as a silo's is) to
/// <see cref="IHotDeviceReportsGrain"/> once per interval: an Orleans client hosts no grain the silos could ask, so it
/// tells them. The counts in <c>GET /api/fleet/hot</c> are thus at most one interval old for API processes.
/// </summary>
internal sealed partial class HotDeviceReporter(
    HotDeviceTracker tracker, IGrainFactory grains, IOptions<HotDeviceOptions> options, TimeProvider time, ILogger<HotDeviceReporter> logger) : BackgroundService
{
    /// <summary>This process as an ingest point: unique per replica (the machine name is the replica in a container).</summary>
    internal static string Name { get; } = $"api/{Environment.MachineName}/{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await grains.GetGrain<IHotDeviceReportsGrain>(0).ReportAsync(tracker.Snapshot(Name, options.Value.Capacity));
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                // The next interval reports again; until then the view misses this process's counts, nothing else.
                LogReportFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The hot-device report did not reach the cluster")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
