using OrleansFleet.Streaming;
using OrleansFleet.Streaming.Hosting;
using OrleansFleet.Streaming.Redis.Hosting;
using OrleansFleet.Testing;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// The service behind one stream variant's run, started before the silo and stopped after it, and the silo wiring
/// for it. The wiring is the host's <c>AddFleetStreaming</c> switch for a fixed transport: that method is internal to
/// the web host and reads configuration, so this replicates its cases, calling the same public provider
/// extensions (<c>AddMemoryTelemetryStreams</c> with 8 partitions, <c>AddRedisTelemetryStreams</c>) with options set directly
/// instead of bound from configuration.
/// </summary>
public sealed class StreamBackend : IAsyncDisposable
{
    /// <summary>Partitions of every transport: the host's memory default, and the Redis provider's default.</summary>
    public const int Partitions = 8;

    private readonly PrivateRedisServer? _redis;

    private StreamBackend(StreamTransport transport, PrivateRedisServer? redis)
    {
        Transport = transport;
        _redis = redis;
    }

    /// <summary>The transport.</summary>
    public StreamTransport Transport { get; }

    /// <summary>Starts what <paramref name="transport"/> needs: nothing, or a redis-server on a free loopback port.</summary>
    public static async Task<StreamBackend> StartAsync(StreamTransport transport) =>
        transport == StreamTransport.Redis
            // A fresh server per run: empty streams and consumer group, like the pools' fresh state. It keeps
            // an append-only file synced on every write, so an acknowledged XADD is durable as the provider claims.
            ? new StreamBackend(transport, await PrivateRedisServer.StartAsync())
            : new StreamBackend(transport, null);

    /// <summary>Adds the telemetry stream provider to <paramref name="silo"/>, as the host does for this transport.</summary>
    public void Configure(ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        switch (Transport)
        {
            case StreamTransport.Memory:
                silo.AddMemoryTelemetryStreams(Partitions);
                break;
            case StreamTransport.Redis:
                silo.AddRedisTelemetryStreams(TelemetryStream.ProviderName, streams => streams.ConfigureRedis(o =>
                {
                    o.ConnectionString = _redis!.ConnectionString;
                    o.KeyPrefix = "bench:telemetry";
                    o.Partitions = Partitions;
                }));
                break;
            default:
                throw new InvalidOperationException($"Unknown transport {Transport}.");
        }
    }

    /// <summary>
    /// How the stream rows publish a device's events: one <see cref="TelemetryBatch"/> appended to the stream of the
    /// device's partition (<see cref="TelemetryPartitionStream"/>, the partition from <see cref="DevicePartitioner"/>),
    /// consumed by the partition grain like every append. The API appends a whole request per partition instead, so
    /// these rows append more often, with fewer events each, than the HTTP row does. The one place the bench names the
    /// product's stream layout.
    /// </summary>
    public static Func<int, TelemetryEvent[], Task> Publisher(IClusterClient client, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(workload);
        var provider = client.GetStreamProvider(TelemetryStream.ProviderName);
        var streams = Enumerable.Range(0, workload.Plan.Count)
            .Select(d => provider.GetStream<TelemetryBatch>(TelemetryPartitionStream.Of(DevicePartitioner.PartitionOf(workload.Plan.Id(d), Partitions)))).ToArray();
        return async (device, events) =>
        {
            // A refused append (the memory queue full, Redis unavailable) was not taken: send it again after a pause, as
            // an API client does after a 503. A resend of an append that did land is dropped by seq.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await streams[device].OnNextAsync(new TelemetryBatch(events, DateTimeOffset.UtcNow));
                    return;
                }
                catch (Exception) when (attempt < MaxPublishAttempts)
                {
                    await Task.Delay(PublishRetryDelay);
                }
            }
        };
    }

    private const int MaxPublishAttempts = 100;
    private static readonly TimeSpan PublishRetryDelay = TimeSpan.FromMilliseconds(20);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
