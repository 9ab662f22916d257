using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using OrleansFleet.Grains.Telemetry;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// How device grains spread over a two-silo cluster, with and without Orleans' activation rebalancer: silo A starts
/// alone and activates <c>devices</c> device grains (all of them land on A, the only silo), silo B joins, another
/// <c>devices</c> are activated through A, and the spread is sampled every few seconds for <c>watch</c>. Bounded in
/// count (two rounds of <c>devices</c> one-event calls) and in time (<c>watch</c> per run, two runs).
/// </summary>
public static class PlacementSpread
{
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(5);

    /// <summary>Runs both configurations and returns the Markdown report.</summary>
    public static async Task<string> RunAsync(int devices, TimeSpan watch, CancellationToken cancellationToken)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Two silos in one process (localhost clustering), {devices} device grains activated on silo A alone, then silo B joins and {devices} more are activated through A; device activations per silo sampled every {Sample.TotalSeconds:0} s for {watch.TotalSeconds:0} s. Machine: {Environment.ProcessorCount} cores.");
        report.AppendLine();
        foreach (var rebalancer in new[] { false, true })
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"### {(rebalancer ? "With `AddActivationRebalancer()`" : "Default placement, no rebalancer")}");
            report.AppendLine();
            report.AppendLine("| time since B joined | silo A | silo B | B's share |");
            report.AppendLine("|---|---|---|---|");
            foreach (var line in await RunOnceAsync(devices, watch, rebalancer, cancellationToken))
            {
                report.AppendLine(line);
            }

            report.AppendLine();
        }

        return report.ToString();
    }

    private static async Task<List<string>> RunOnceAsync(int devices, TimeSpan watch, bool rebalancer, CancellationToken cancellationToken)
    {
        var cluster = $"placement-{Guid.NewGuid():N}";
        var primaryPort = LoopbackPort.Free();
        using var a = await StartSiloAsync(cluster, primaryPort, primaryPort, rebalancer, cancellationToken);
        var grains = a.Services.GetRequiredService<IGrainFactory>();
        var run = Guid.NewGuid().ToString("N")[..6];
        await ActivateAsync(grains, $"pa-{run}", devices);
        using var b = await StartSiloAsync(cluster, LoopbackPort.Free(), primaryPort, rebalancer, cancellationToken);
        var joined = Stopwatch.StartNew();
        var management = grains.GetGrain<IManagementGrain>(0);
        // Placement only knows about B once membership and the load statistics have reached A.
        while ((await management.GetHosts(onlyActive: true, cancellationToken)).Count < 2)
        {
            await Task.Delay(100, cancellationToken);
        }

        await ActivateAsync(grains, $"pb-{run}", devices);
        var rows = new List<string>();
        while (true)
        {
            var stats = await management.GetSimpleGrainStatistics(cancellationToken);
            var perSilo = stats.Where(s => s.GrainType.Contains(nameof(OrleansFleet.Grains.DeviceGrain), StringComparison.Ordinal))
                .GroupBy(s => s.SiloAddress.Endpoint.Port)
                .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
            var onA = perSilo.GetValueOrDefault(primaryPort);
            var onB = perSilo.Where(p => p.Key != primaryPort).Sum(p => p.Value);
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {joined.Elapsed.TotalSeconds:0} s | {onA} | {onB} | {(onA + onB == 0 ? 0 : 100.0 * onB / (onA + onB)):0.0}% |"));
            if (joined.Elapsed >= watch)
            {
                break;
            }

            await Task.Delay(Sample, cancellationToken);
        }

        await b.StopAsync(CancellationToken.None);
        await a.StopAsync(CancellationToken.None);
        return rows;
    }

    private static async Task ActivateAsync(IGrainFactory grains, string prefix, int devices)
    {
        var now = DateTimeOffset.UtcNow;
        var metrics = new Dictionary<string, double> { ["temperature"] = 20 };
        // A bounded number in flight, as a partition consumer would keep.
        for (var start = 0; start < devices; start += 256)
        {
            await Task.WhenAll(Enumerable.Range(start, Math.Min(256, devices - start)).Select(i =>
            {
                var id = $"{prefix}-{i}";
                return grains.GetGrain<IDeviceGrain>(id).ApplyAsync(new TelemetryBatch([new TelemetryEvent(id, 1, now, metrics, null)]));
            }));
        }
    }

    private static async Task<IHost> StartSiloAsync(string cluster, int siloPort, int primaryPort, bool rebalancer, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, LoopbackPort.Free(), new IPEndPoint(IPAddress.Loopback, primaryPort), "bench-placement", cluster);
            silo.AddMemoryGrainStorageAsDefault();
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.UseInMemoryReminderService();
            silo.Services.AddTelemetryWriter();
            silo.Services.AddSingleton<ITelemetryHistoryStore>(new MemoryTelemetryHistoryStore(100));
            silo.Services.AddSingleton<IDeviceSummaryStore, MemoryDeviceSummaryStore>();
            // Load statistics every second, so placement and the rebalancer see the second silo soon after it joins.
            silo.Services.Configure<DeploymentLoadPublisherOptions>(o => o.DeploymentLoadPublisherRefreshTime = TimeSpan.FromSeconds(1));
            if (rebalancer)
            {
#pragma warning disable ORLEANSEXP002 // experimental in Orleans 10: measured here before it is switched on anywhere
                silo.AddActivationRebalancer();
#pragma warning restore ORLEANSEXP002
                silo.Services.Configure<ActivationRebalancerOptions>(o =>
                {
                    o.RebalancerDueTime = TimeSpan.FromSeconds(5);
                    o.SessionCyclePeriod = TimeSpan.FromSeconds(5);
                });
            }
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }
}
