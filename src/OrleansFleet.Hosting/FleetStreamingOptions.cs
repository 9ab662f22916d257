namespace OrleansFleet.Hosting;

/// <summary>Which transport carries the telemetry stream (configuration section <c>Fleet:Streaming</c>).</summary>
public sealed class FleetStreamingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:Streaming";

    /// <summary>The transport.</summary>
    public StreamingProvider Provider { get; set; } = StreamingProvider.Memory;

    /// <summary>The Redis provider's own section (key prefix, partitions, trimming), read by silos and API clients alike.</summary>
    public const string RedisSectionName = SectionName + ":Redis";

    /// <summary>Queues (partitions) of the memory stream; devices hash onto them.</summary>
    public int MemoryPartitions { get; set; } = 8;

    /// <summary>The Redis connection: <c>Fleet:Streaming:Redis:ConnectionString</c> when set, else <c>ConnectionStrings:Redis</c>.</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="configured">The provider section's own connection string.</param>
    /// <returns>The connection string; empty when neither is set (the provider's validator names it at start).</returns>
    public static string RedisConnectionString(IConfiguration configuration, string? configured) =>
        configured is { Length: > 0 } ? configured : configuration.GetConnectionString("Redis") ?? "";
}

/// <summary>The telemetry stream transports.</summary>
public enum StreamingProvider
{
    /// <summary>Orleans memory streams: the embedded default, nothing to install, not durable.</summary>
    Memory = 0,

    /// <summary>Redis Streams (<c>ConnectionStrings:Redis</c>, options under <c>Fleet:Streaming:Redis</c>): durable, shared by silos.</summary>
    Redis = 1,

    /// <summary>Azure Event Hubs through <c>Microsoft.Orleans.Streaming.EventHubs</c>: the Azure mode's transport.</summary>
    EventHubs = 2,
}
