using System.Net;
using System.Text;
using OrleansFleet.Testing;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Streaming;

/// <summary>The host with <c>Fleet:Streaming:Provider=Redis</c>, against a real redis-server: API → Redis Streams → device grains.</summary>
public sealed class RedisIngestionTests
{
    private static string SharedRedis => Environment.GetEnvironmentVariable("FLEET_TEST_REDIS")
        ?? throw new InvalidOperationException("FLEET_TEST_REDIS is not set: run the tests with ./scripts/test.sh, which starts Redis.");

    private static ApiFactory RedisHost(string connectionString, string prefix, params (string Key, string Value)[] more) => new(new Dictionary<string, string>
    {
        ["Fleet:Streaming:Provider"] = "Redis",
        ["ConnectionStrings:Redis"] = connectionString,
        ["Fleet:Streaming:Redis:KeyPrefix"] = prefix,
    }.Concat(more.Select(m => KeyValuePair.Create(m.Key, m.Value))).ToDictionary());

    [Fact]
    public async Task Raising_MaxMetricsPerEvent_lets_the_stream_decoder_accept_what_the_API_accepted_instead_of_dead_lettering_it()
    {
        var prefix = $"fleet-test:{Guid.NewGuid():N}";
        await using var factory = RedisHost(SharedRedis, prefix, ("Fleet:Ingest:MaxMetricsPerEvent", "100"));
        var client = factory.CreateClient();
        var device = $"wide-{Guid.NewGuid():N}";
        var metrics = string.Join(",", Enumerable.Range(0, 80).Select(i => $"\"m{i}\":{i}"));
        var body = $$$"""[{"deviceId":"{{{device}}}","seq":1,"timestamp":"{{{DateTimeOffset.UtcNow.AddSeconds(-1):O}}}","metrics":{{{{metrics}}}}}]""";

        var response = await client.PostAsync("/api/telemetry", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        // 80 metrics is over the default 64: a decoder with its own copy of the limits would dead-letter the entry.
        var view = await Eventually.DeviceAsync(client, device, d => d.LastSeq == 1);
        Assert.Equal(80, view!.Metrics.Count);
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(SharedRedis);
        Assert.Equal(0, await redis.GetDatabase().StreamLengthAsync($"{prefix}:dead"));
    }

    private static StringContent Round(IEnumerable<string> devices, int seq) => new(
        "[" + string.Join(",", devices.Select(d => $$$"""{"deviceId":"{{{d}}}","seq":{{{seq}}},"timestamp":"{{{DateTimeOffset.UtcNow.AddHours(-1).AddSeconds(seq):O}}}","metrics":{"temperature":{{{seq % 100}}}}}""")) + "]",
        Encoding.UTF8,
        "application/json");

    [Fact]
    public async Task A_thousand_devices_over_every_partition_are_applied_in_seq_order_through_redis()
    {
        var prefix = $"fleet-test:{Guid.NewGuid():N}";
        await using var factory = RedisHost(SharedRedis, prefix);
        var client = factory.CreateValidatedClient();
        var devices = Enumerable.Range(0, 1_000).Select(i => $"redis-{i:D4}").ToList();

        // Five rounds, each device's seq 1..5, the rounds sent concurrently so they may arrive in any order.
        var rounds = Enumerable.Range(1, 5).Select(seq => client.PostAsync("/api/telemetry", Round(devices, seq)));
        Assert.All(await Task.WhenAll(rounds), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));

        foreach (var device in devices)
        {
            var view = await Eventually.DeviceAsync(client, device, d => d.LastSeq == 5 && d.Pending == 0, seconds: 60);
            Assert.Equal(new DeviceCounters(5, 0, 0), view!.Counters);
        }
    }

    [Fact]
    public async Task Redis_down_gives_503_with_retry_after_then_recovers_and_every_accepted_event_is_applied_once()
    {
        await using var redis = await PrivateRedisServer.StartAsync();
        await using var factory = RedisHost(redis.ConnectionString, "fleet-outage");
        var client = factory.CreateValidatedClient();
        var devices = Enumerable.Range(0, 20).Select(i => $"outage-{i:D2}").ToList();
        const int Rounds = 30;
        int unavailable = 0, killedAt = 10, restartAfter = 0;
        var deadline = DateTime.UtcNow.AddSeconds(120);

        for (var seq = 1; seq <= Rounds; seq++)
        {
            if (seq == killedAt)
            {
                await redis.KillAsync();
            }

            // Like a gateway: resend the same round until it is accepted. Resending is safe because of seq.
            while (true)
            {
                Assert.True(DateTime.UtcNow < deadline, "the API did not recover within 120 s");
                using var response = await client.PostAsync("/api/telemetry", Round(devices, seq));
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    break;
                }

                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                if (++unavailable == 5)
                {
                    restartAfter = seq;
                    await redis.StartAgainAsync();
                }

                await Task.Delay(100);
            }
        }

        Assert.True(unavailable >= 5, $"expected 503s while Redis was down, saw {unavailable}");
        Assert.Equal(killedAt, restartAfter);
        foreach (var device in devices)
        {
            var view = await Eventually.DeviceAsync(client, device, d => d.LastSeq == Rounds && d.Pending == 0, seconds: 60);
            Assert.Equal(Rounds, view!.Counters.Applied);
            Assert.Equal(0, view.Counters.Gaps);
        }
    }
}
