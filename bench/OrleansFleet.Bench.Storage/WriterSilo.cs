using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansFleet.Grains.Telemetry;
using OrleansFleet.Persistence.AzureTables;

namespace OrleansFleet.Bench.Storage;

/// <summary>
/// An Orleans silo inside this process wired as the host's Azure Tables mode wires the history: the telemetry writer
/// grain in front of <see cref="AzureTableTelemetryHistoryStore"/>, on Azurite, in a table of its own. Grain state stays
/// in memory because only the history is measured here.
/// </summary>
internal sealed class WriterSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private WriterSilo(IHost host) => _host = host;

    /// <summary>Grain references, as the silo's own callers (device grains) get them.</summary>
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts the silo on free loopback ports.</summary>
    /// <param name="connectionString">The Azure Tables account (Azurite).</param>
    /// <param name="settings">The writer's and the store's knobs under measurement.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    public static async Task<WriterSilo> StartAsync(string connectionString, WriterSettings settings, CancellationToken cancellationToken)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: "bench-storage", clusterId: $"bench-storage-{Guid.NewGuid():N}");
            silo.AddMemoryGrainStorageAsDefault();
            silo.Services.AddTelemetryWriter();
            silo.Services.Configure<TelemetryWriterOptions>(o =>
            {
                o.MaxBatch = settings.MaxBatch;
                o.MaxDelay = settings.MaxDelay;
            });
            silo.Services.AddAzureTableTelemetryHistoryStore(o =>
            {
                o.ConnectionString = connectionString;
                // A fresh table: the writer's rows never land on (and overwrite) another run's.
                o.TableName = "BenchWriter" + Guid.NewGuid().ToString("N")[..12];
                o.MaxConcurrentTransactions = settings.MaxConcurrentTransactions;
                o.MaxQueuedTransactions = settings.MaxQueuedTransactions;
            });
        });
        IHost host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new WriterSilo(host);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using CancellationTokenSource stop = new(TimeSpan.FromSeconds(30));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
