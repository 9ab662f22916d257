using System.Globalization;

using StackExchange.Redis;

namespace OrleansFleet.Streaming.Redis.Tests;

/// <summary>The real Redis the test script starts, and helpers to look into it.</summary>
public static class TestRedis
{
    private static readonly Lazy<ConnectionMultiplexer> Shared = new(() => ConnectionMultiplexer.Connect(ConnectionString));

    /// <summary>The address from <c>FLEET_TEST_REDIS</c>; missing means the suite was not started by the script.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("FLEET_TEST_REDIS") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("FLEET_TEST_REDIS is not set: run ./scripts/test.sh (it starts Redis on 127.0.0.1:6380 and sets it).");

    /// <summary>The shared test connection.</summary>
    public static IDatabase Db => Shared.Value.GetDatabase();

    /// <summary>A key prefix no other test uses.</summary>
    public static string UniquePrefix(string test) => string.Create(CultureInfo.InvariantCulture, $"test:{test}:{Guid.NewGuid():N}");

    /// <summary>
    /// Unacknowledged entries of <paramref name="group"/> over all partitions. A partition stream that holds entries
    /// but not the group fails (NOGROUP): "nothing pending" must not pass because nothing ever consumed it.
    /// </summary>
    public static async Task<long> PendingAsync(IDatabase db, string prefix, string group, int partitions)
    {
        long total = 0;
        var keys = new RedisStreamKeys(prefix);
        for (var p = 0; p < partitions; p++)
        {
            if (await db.KeyExistsAsync(keys.Partition(p)))
            {
                total += (await db.StreamPendingAsync(keys.Partition(p), group)).PendingMessageCount;
            }
        }

        return total;
    }

    /// <summary>The ids of the entries of <paramref name="stream"/> that <paramref name="group"/> has not acknowledged.</summary>
    public static async Task<HashSet<RedisValue>> PendingIdsAsync(IDatabase db, RedisKey stream, string group) =>
        [.. (await db.StreamPendingMessagesAsync(stream, group, 10_000, RedisValue.Null)).Select(m => m.MessageId)];
}
