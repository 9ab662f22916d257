namespace OrleansFleet.Streaming.Redis.Tests;

/// <summary>Redis going away and coming back during ingestion.</summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task While_Redis_is_down_producing_fails_with_TelemetryStreamUnavailableException_and_afterwards_nothing_acknowledged_is_lost()
    {
        const int Devices = 20;
        const int Rounds = 20;
        await using var redis = await PrivateRedisServer.StartAsync();
        var prefix = TestRedis.UniquePrefix("outage");
        var run = Guid.NewGuid().ToString("N")[..8];
        var devices = Enumerable.Range(0, Devices).Select(i => $"out-{run}-{i}").ToArray();
        await using var cluster = await TelemetryCluster.StartAsync(prefix, connectionString: redis.ConnectionString);
        var unavailable = 0;

        // Like an API client after a 503: retry the same event until the stream confirms it (bounded by a deadline).
        async Task ProduceConfirmedAsync(string device, long seq)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                try
                {
                    await cluster.ProduceAsync(device, seq);
                    return;
                }
                catch (TelemetryStreamUnavailableException) when (DateTime.UtcNow < deadline)
                {
                    Interlocked.Increment(ref unavailable);
                    await Task.Delay(100);
                }
            }
        }

        for (long round = 1; round <= Rounds; round++)
        {
            var seq = round;
            if (round == Rounds / 2)
            {
                await redis.KillAsync();
                var error = await Assert.ThrowsAsync<TelemetryStreamUnavailableException>(() => cluster.ProduceAsync(devices[0], seq));
                Assert.True(error.RetryAfter > TimeSpan.Zero);
                var restart = Task.Run(async () =>
                {
                    await Poll.UntilAsync(() => Volatile.Read(ref unavailable) >= 5, TimeSpan.FromSeconds(30), "producers saw the outage");
                    await redis.StartAgainAsync();
                });
                await Parallel.ForEachAsync(devices, async (d, _) => await ProduceConfirmedAsync(d, seq));
                await restart;
                continue;
            }

            await Parallel.ForEachAsync(devices, async (d, _) => await ProduceConfirmedAsync(d, seq));
        }

        await Poll.UntilAsync(
            () => StreamAssert.AllReachedAsync(cluster.Grains, devices, Rounds),
            TimeSpan.FromSeconds(60),
            "every confirmed event delivered after Redis came back",
            () => $"{StreamAssert.Reached(cluster.Grains, devices, Rounds)} of {Devices} complete");
        await StreamAssert.AppliedInOrderAsync(cluster.Grains, devices, Rounds);
        Assert.True(unavailable >= 5);
    }
}
