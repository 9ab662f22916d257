namespace OrleansFleet.Streaming.Redis;

/// <summary>
/// Settings of the Redis Streams telemetry provider. Producers (API, clients) and silos must use the same
/// <see cref="KeyPrefix"/> and <see cref="Partitions"/>, or devices land on partitions nobody reads in order.
/// </summary>
public sealed class RedisTelemetryStreamOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string SectionName = "Fleet:Stream:Redis";

    /// <summary>StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6380</c> (usually <c>ConnectionStrings:Redis</c>).</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Prefix of the keys: partitions are <c>{prefix}:{n}</c>, the dead-letter stream <c>{prefix}:dead</c>.</summary>
    public string KeyPrefix { get; set; } = "fleet:telemetry";

    /// <summary>Number of partitions (Redis streams, Orleans queues). Changing it remaps devices; drain first.</summary>
    public int Partitions { get; set; } = 8;

    /// <summary>Most entries one read (XREADGROUP COUNT) takes from a partition.</summary>
    public int ReadBatchSize { get; set; } = 256;

    /// <summary>
    /// Entries to retain per partition stream; older, acknowledged entries are trimmed by the partition's owner.
    /// Entries some consumer group has not acknowledged (or not read) are never trimmed, so a stream may exceed it.
    /// <c>null</c> disables trimming.
    /// </summary>
    public long? RetainMaxLength { get; set; } = 100_000;

    /// <summary>How often a partition's owner trims, at most.</summary>
    public TimeSpan TrimInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most entries one trim removes, so a trim never blocks Redis for long.</summary>
    public int MaxTrimPerPass { get; set; } = 10_000;

    /// <summary>
    /// How long an entry may sit unacknowledged in the partition's pending list, without being in this silo's cache,
    /// before the owner claims and redelivers it (entries read by an overlapping previous owner during a hand-over).
    /// </summary>
    public TimeSpan ReclaimIdleTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times a consumer may fail on an entry before it is dead-lettered.</summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>Longest pause of a partition's reader while Redis is unreachable (it backs off exponentially up to this).</summary>
    public TimeSpan MaxUnavailableBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consumer group; <c>null</c> means the Orleans ServiceId, so each service reads the stream once.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>Timeout of connecting and of each Redis command, so a producer gets its answer quickly.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
