using Orleans.TestingHost;

using OrleansFleet.Grains;
using OrleansFleet.Streaming.Redis.Hosting;

namespace OrleansFleet.Streaming.Redis.Tests;

/// <summary>
/// An in-process Orleans cluster with the Redis telemetry provider on every silo and on the client, and the real fleet
/// grains consuming it: the partition consumer, <c>DeviceGrain</c> and its <c>seq</c> deduplication.
/// </summary>
public sealed class TelemetryCluster : IAsyncDisposable
{
    private TelemetryCluster(InProcessTestCluster cluster, string prefix, string serviceId, int partitions)
    {
        Cluster = cluster;
        Prefix = prefix;
        ServiceId = serviceId;
        Partitions = partitions;
    }

    /// <summary>The cluster.</summary>
    public InProcessTestCluster Cluster { get; }

    /// <summary>The key prefix of this cluster's streams.</summary>
    public string Prefix { get; }

    /// <summary>The ServiceId, which is the consumer group.</summary>
    public string ServiceId { get; }

    /// <summary>The number of partitions.</summary>
    public int Partitions { get; }

    /// <summary>The client's grain factory, to read the devices.</summary>
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Starts a cluster of <paramref name="silos"/> silos.</summary>
    public static async Task<TelemetryCluster> StartAsync(
        string prefix,
        int silos = 1,
        string? connectionString = null,
        Action<RedisTelemetryStreamOptions>? configure = null,
        TimeSpan? maxEventDeliveryTime = null,
        Action<FleetOptions>? fleet = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        var serviceId = builder.Options.ServiceId;
        void Options(RedisTelemetryStreamOptions o)
        {
            o.ConnectionString = connectionString ?? TestRedis.ConnectionString;
            o.KeyPrefix = prefix;
            o.CommandTimeout = TimeSpan.FromSeconds(2);
            o.MaxUnavailableBackoff = TimeSpan.FromSeconds(1);
            configure?.Invoke(o);
        }

        builder.ConfigureSilo((_, silo) =>
        {
            silo.WithFastFailureDetection();
            silo.WithFleetGrains(fleet);
            silo.AddRedisTelemetryStreams(TelemetryStream.ProviderName, streams =>
            {
                streams.ConfigureRedis(Options);
                if (maxEventDeliveryTime is { } max)
                {
                    streams.ConfigurePullingAgent(ob => ob.Configure(o => o.MaxEventDeliveryTime = max));
                }
            });
        });
        builder.ConfigureClient(client => client.AddRedisTelemetryStreams(TelemetryStream.ProviderName, streams => streams.ConfigureRedis(Options)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var partitions = new RedisTelemetryStreamOptions();
        Options(partitions);
        return new TelemetryCluster(cluster, prefix, serviceId, partitions.Partitions);
    }

    /// <summary>Publishes events of one device through Orleans (the API's path).</summary>
    public Task ProduceAsync(string deviceId, params long[] seqs) => TelemetryTestCluster.ProduceAsync(Cluster.Client, Partitions, deviceId, seqs);

    /// <summary>An event with one metric.</summary>
    public static TelemetryEvent Event(string deviceId, long seq) => TelemetryTestCluster.Event(deviceId, seq);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
