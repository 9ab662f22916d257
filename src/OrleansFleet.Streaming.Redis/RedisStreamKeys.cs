using System.Globalization;

using StackExchange.Redis;

namespace OrleansFleet.Streaming.Redis;

/// <summary>Names of the Redis keys and fields the provider uses (documented in docs/redis-stream.md).</summary>
public sealed class RedisStreamKeys(string prefix)
{
    /// <summary>Entry field holding the device id, when a producer writes one device's events per entry (optional).</summary>
    public static readonly RedisValue DeviceField = "d";

    /// <summary>Entry field holding the wire JSON: one event object or an array of events of the partition's devices.</summary>
    public static readonly RedisValue PayloadField = "p";

    /// <summary>The stream of partition <paramref name="partition"/>: <c>{prefix}:{partition}</c>.</summary>
    public RedisKey Partition(int partition) => string.Create(CultureInfo.InvariantCulture, $"{prefix}:{partition}");

    /// <summary>The dead-letter stream: <c>{prefix}:dead</c>.</summary>
    public RedisKey DeadLetter => $"{prefix}:dead";

    /// <summary>The consumer name of a partition. One name per partition (not per silo): whichever silo owns the
    /// partition reads the same pending-entries list, so a new owner finds a dead owner's unacknowledged entries by
    /// reading its own history from id 0, without waiting for them to go idle and claiming them.</summary>
    public static RedisValue Consumer(int partition) => string.Create(CultureInfo.InvariantCulture, $"p{partition}");
}
