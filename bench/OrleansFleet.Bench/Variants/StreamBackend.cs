using Microsoft.Extensions.DependencyInjection;
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
    /// How the stream rows append: the provider's own <see cref="ITelemetryAppender"/>, the one the co-hosted API's
    /// ingestor appends every request through (keyed by the provider's name in the silo's services).
    /// </summary>
    public static ITelemetryAppender Appender(BenchSilo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.Services.GetRequiredKeyedService<ITelemetryAppender>(TelemetryStream.ProviderName);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
