using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansFleet.Grains;
using OrleansFleet.Grains.Telemetry;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// An Orleans silo inside this process, configured as the embedded host's: memory grain storage as default plus the
/// "PubSubStore" the memory streams need, in-memory reminders, the fleet's default options. A fresh silo per run, so
/// every run starts from empty device state, as the pools do.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host) => _host = host;

    /// <summary>Grain references, as the co-hosted API gets them.</summary>
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's own client, whose stream provider the co-hosted API's ingestor publishes through.</summary>
    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>The silo's services (the stream provider's appender, for the stream rows).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Starts a silo on free loopback ports, with <paramref name="filter"/> on incoming calls.</summary>
    /// <param name="filter">Sees every incoming call.</param>
    /// <param name="binaryStorage">
    /// Whether memory storage keeps state with Orleans' binary serializer (as the host does) instead of Orleans'
    /// default JSON one, which the diagnostic variant keeps to show what that choice costs.
    /// </param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <param name="streams">
    /// Adds the telemetry stream provider, as the host's <c>AddFleetStreaming</c> does for the configured transport;
    /// <c>null</c> for the direct-call variants, which never publish.
    /// </param>
    /// <param name="checkpointInterval">
    /// <c>Fleet:Checkpoint:Interval</c> for a diagnostic row; <c>null</c> keeps the host's default, as every measured row does.
    /// </param>
    public static async Task<BenchSilo> StartAsync(IIncomingGrainCallFilter filter, bool binaryStorage, CancellationToken cancellationToken, Action<ISiloBuilder>? streams = null, TimeSpan? checkpointInterval = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var options = BenchFleet.Options();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: LoopbackPort.Free(), gatewayPort: LoopbackPort.Free(), serviceId: "bench", clusterId: $"bench-{Guid.NewGuid():N}");
            if (binaryStorage)
            {
                silo.AddMemoryGrainStorageAsDefault(o => o.Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
            }
            else
            {
                silo.AddMemoryGrainStorageAsDefault();
            }

            silo.AddMemoryGrainStorage("PubSubStore");
            silo.UseInMemoryReminderService();
            // As the host's embedded mode: device grains hand their readings to the telemetry writer, which keeps
            // a bounded in-memory history.
            silo.Services.AddTelemetryWriter();
            silo.Services.AddSingleton<ITelemetryHistoryStore>(new MemoryTelemetryHistoryStore(1_000));
            silo.Services.AddSingleton<IDeviceSummaryStore, MemoryDeviceSummaryStore>();
            silo.AddIncomingGrainCallFilter(filter);
            streams?.Invoke(silo);
            silo.Services.Configure<FleetOptions>(o =>
            {
                o.Rules = options.Rules;
                o.IndexShards = options.IndexShards;
                if (checkpointInterval is { } interval)
                {
                    o.Checkpoint.Interval = interval;
                }
            });
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new BenchSilo(host);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
