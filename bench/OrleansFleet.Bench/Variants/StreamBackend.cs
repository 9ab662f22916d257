using OrleansFleet.Streaming.Kafka.Hosting;
using OrleansFleet.Streaming.Redis.Hosting;
using OrleansFleet.Testing;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// The service behind one stream variant's run, started before the silo and stopped after it, and the silo wiring
/// for it. The wiring is the host's <c>AddFleetStreaming</c> switch for a fixed transport: that method is internal to
/// the web host and reads configuration, so this replicates its three cases, calling the same public provider
/// extensions (<c>AddMemoryStreams</c> with 8 partitions, <c>AddRedisTelemetryStreams</c>,
/// <c>AddKafkaTelemetryStreams</c>) with options set directly instead of bound from configuration.
/// </summary>
public sealed class StreamBackend : IAsyncDisposable
{
    /// <summary>Partitions of every transport: the host's memory default, and the Redis provider's default.</summary>
    public const int Partitions = 8;

    private const string Topic = "bench-telemetry";
    private readonly PrivateRedisServer? _redis;
    private readonly KafkaMockCluster? _kafka;

    private StreamBackend(StreamTransport transport, PrivateRedisServer? redis, KafkaMockCluster? kafka)
    {
        Transport = transport;
        _redis = redis;
        _kafka = kafka;
    }

    /// <summary>The transport.</summary>
    public StreamTransport Transport { get; }

    /// <summary>Starts what <paramref name="transport"/> needs: nothing, a redis-server on a free loopback port, or a mock Kafka cluster.</summary>
    public static async Task<StreamBackend> StartAsync(StreamTransport transport)
    {
        switch (transport)
        {
            case StreamTransport.Redis:
                // A fresh server per run: empty streams and consumer group, like the pools' fresh state. It keeps
                // an append-only file synced on every write, so an acknowledged XADD is durable as the provider claims.
                return new StreamBackend(transport, await PrivateRedisServer.StartAsync(), null);
            case StreamTransport.Kafka:
                var kafka = await KafkaMockCluster.StartAsync();
                try
                {
                    await kafka.CreateTopicAsync(Topic, Partitions);
                    await kafka.CreateTopicAsync(Topic + "-dead", 1);
                    return new StreamBackend(transport, null, kafka);
                }
                catch
                {
                    await kafka.DisposeAsync();
                    throw;
                }

            default:
                return new StreamBackend(transport, null, null);
        }
    }

    /// <summary>Adds the telemetry stream provider to <paramref name="silo"/>, as the host does for this transport.</summary>
    public void Configure(ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        switch (Transport)
        {
            case StreamTransport.Memory:
                silo.AddMemoryStreams(TelemetryStream.ProviderName, streams => streams.ConfigurePartitioning(Partitions));
                break;
            case StreamTransport.Redis:
                silo.AddRedisTelemetryStreams(TelemetryStream.ProviderName, streams => streams.ConfigureRedis(o =>
                {
                    o.ConnectionString = _redis!.ConnectionString;
                    o.KeyPrefix = "bench:telemetry";
                    o.Partitions = Partitions;
                }));
                break;
            case StreamTransport.Kafka:
                silo.AddKafkaTelemetryStreams(TelemetryStream.ProviderName, streams => streams.ConfigureKafka(o =>
                {
                    o.BootstrapServers = _kafka!.BootstrapServers;
                    o.Topic = Topic;
                    o.DeadLetterTopic = Topic + "-dead";
                }));
                break;
            default:
                throw new InvalidOperationException($"Unknown transport {Transport}.");
        }
    }

    /// <summary>
    /// How the stream rows publish a device's events: as the API's <c>TelemetryIngestor</c> does, one
    /// <see cref="TelemetryBatch"/> on the device's stream (namespace "telemetry", key = device id). The one place the
    /// bench names the product's stream layout, so a change of it (one stream per partition) is adapted here.
    /// </summary>
    public static Func<int, TelemetryEvent[], Task> Publisher(IClusterClient client, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(workload);
        var provider = client.GetStreamProvider(TelemetryStream.ProviderName);
        var streams = Enumerable.Range(0, workload.Plan.Count)
            .Select(d => provider.GetStream<TelemetryBatch>(StreamId.Create(TelemetryStream.Namespace, workload.Plan.Id(d)))).ToArray();
        return (device, events) => streams[device].OnNextAsync(new TelemetryBatch(events));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_kafka is not null)
        {
            await _kafka.DisposeAsync();
        }
    }
}
