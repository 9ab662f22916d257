using Microsoft.Extensions.Options;
using OrleansFleet.Hosting.Ingestion;

namespace OrleansFleet.Silo.Simulation;

/// <summary>
/// Feeds a simulated fleet through the same ingestion path as <c>POST /api/telemetry</c>, so a newcomer sees readings
/// and alarms within seconds of <c>dotnet run -- --simulate 50</c>.
/// </summary>
internal sealed partial class FleetSimulator(
    TelemetryIngestor ingestor, IOptions<SimulatorOptions> options, TimeProvider time, ILogger<FleetSimulator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Devices == 0)
        {
            return;
        }

        var random = new Random(42);
        var devices = Enumerable.Range(1, settings.Devices)
            .Select(i => i % 4 == 1
                ? new SimulatedDevice($"chiller-{i:D3}", isChiller: true, random)
                : new SimulatedDevice($"meter-{i:D3}", isChiller: false, random))
            .ToList();
        LogStarted(logger, settings.Devices, settings.Interval);

        using var timer = new PeriodicTimer(settings.Interval, time);
        do
        {
            var now = time.GetUtcNow();
            var events = devices.SelectMany(d => d.Tick(now)).ToList();
            try
            {
                await ingestor.IngestAsync(events);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The simulator is a demo: a failed tick is logged and the next one goes on.
                LogTickFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating {Devices} devices, one report each every {Interval}")]
    private static partial void LogStarted(ILogger logger, int devices, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A simulator tick failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
