using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.EndToEnd;

/// <summary>
/// The built host on the local-cluster combination (Redis Streams, grain state and history on Azure Tables in Azurite),
/// killed with SIGKILL mid-ingest and started again: the stream redelivers from the last committed position, and every
/// acknowledged event takes effect exactly once, in order, with the right alarms and history rows.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int Devices = 30;
    private const int Rounds = 22;
    private const int KillAfter = 10;

    private static string Redis => Environment.GetEnvironmentVariable("FLEET_TEST_REDIS")
        ?? throw new InvalidOperationException("FLEET_TEST_REDIS is not set: run the tests with ./scripts/test.sh, which starts Redis.");

    private static string Tables => Environment.GetEnvironmentVariable("FLEET_TEST_TABLES")
        ?? throw new InvalidOperationException("FLEET_TEST_TABLES is not set: run the tests with ./scripts/test.sh, which starts Azurite.");

    /// <summary>Every fifth reading overheats (temperature-high: above 90, clear at 85) and the next one recovers.</summary>
    private static int Temperature(int seq) => seq % 5 == 0 ? 95 : 70;

    [Fact]
    public async Task A_SIGKILL_mid_ingest_on_redis_and_tables_loses_and_doubles_nothing_acknowledged()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string[] mode = [
            // The local-cluster mode (grain state, reminders and history on Azurite, the stream on Redis), with the
            // in-silo membership of one process, so the restarted host need not wait for the dead one's eviction.
            "--Fleet:Mode", "LocalCluster", "--Orleans:Clustering:ProviderType", "Development",
            "--ConnectionStrings:Redis", Redis, "--Fleet:Streaming:Redis:KeyPrefix", $"crash-{run}", "--ConnectionStrings:Tables", Tables,
            "--Orleans:ServiceId", $"crash-{run}", "--Orleans:ClusterId", $"crash-{run}", "--Fleet:Checkpoint:Interval", "00:00:05"];
        var devices = Enumerable.Range(0, Devices).Select(i => $"crash-{run}-{i:D2}").ToArray();
        var acknowledged = 0;

        var first = await HostProcess.StartAsync(mode);
        try
        {
            using var toFirst = first.CreateClient();
            for (var seq = 1; seq <= KillAfter; seq++)
            {
                Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(toFirst, devices, seq)).StatusCode);
                acknowledged = seq;
                if (seq == KillAfter - 1)
                {
                    // Delivered and applied in memory, well inside the 5 s checkpoint interval: not yet committed.
                    foreach (var device in devices)
                    {
                        await Eventually.DeviceAsync(toFirst, device, d => d.LastSeq == seq, seconds: 60);
                    }
                }
            }

            // The next request is on its way when the process dies; nothing after the last 202 has been checkpointed.
            var inFlight = PostAsync(toFirst, devices, KillAfter + 1);
            await first.KillAsync();
            try
            {
                if ((await inFlight).StatusCode == HttpStatusCode.Accepted)
                {
                    acknowledged = KillAfter + 1;
                }
            }
            catch (HttpRequestException)
            {
                // No answer: the client does not know, and resends it below (its seqs make that safe).
            }
        }
        finally
        {
            await first.DisposeAsync();
        }

        // What the dead host had not committed is still pending in the consumer group: the restart must redeliver it.
        using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Redis))
        {
            long pending = 0;
            for (var p = 0; p < 8; p++)
            {
                var key = $"crash-{run}:{p}";
                if (await redis.GetDatabase().KeyExistsAsync(key))
                {
                    pending += (await redis.GetDatabase().StreamPendingAsync(key, $"crash-{run}")).PendingMessageCount;
                }
            }

            Assert.True(pending > 0, "the kill should leave uncommitted entries to redeliver");
        }

        await using var second = await HostProcess.StartAsync(mode);
        using var client = second.CreateClient();
        for (var seq = KillAfter + 1; seq <= Rounds; seq++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(client, devices, seq)).StatusCode);
        }

        Assert.True(acknowledged >= KillAfter);
        foreach (var device in devices)
        {
            var view = await Eventually.DeviceAsync(client, device, d => d.LastSeq == Rounds && d.Pending == 0, seconds: 90);
            // Exactly once: the restored checkpoint plus the replay of what was not committed, each event applied once;
            // duplicates are only what the replay and the resent request explain (at most the rounds after the commit).
            Assert.Equal((Rounds, 0L, 0L), ((int)view!.Counters.Applied, view.Counters.Gaps, view.Counters.Late));
            Assert.InRange(view.Counters.Duplicates, 0, KillAfter + 1);
            Assert.Empty(view.ActiveAlarms);

            // The same alarms as an uninterrupted run: raised at 5, 10, 15, 20, each cleared by the next reading.
            var alarms = (await client.GetFromJsonAsync<Alarm[]>($"/api/devices/{device}/alarms?state=all", ApiFactory.Json))!;
            Assert.Equal([5L, 10L, 15L, 20L], alarms.Select(a => a.RaisedBySeq!.Value).Order());
            Assert.Equal(["a1", "a2", "a3", "a4"], alarms.OrderBy(a => a.RaisedBySeq).Select(a => a.Id));
            Assert.All(alarms, a => Assert.Equal("recovered", a.ClearReason));
        }

        // History rows reach the store before the checkpoint that covers them: every reading once, none missing.
        foreach (var device in devices)
        {
            var seqs = await Eventually.Async(
                async () => (await client.GetFromJsonAsync<JsonElement>($"/api/devices/{device}/telemetry?limit=1000")).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()).ToArray(),
                s => s.Length >= Rounds,
                because: $"the history of {device}");
            Assert.Equal(Enumerable.Range(1, Rounds).Select(s => (long)s), seqs.Order());
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, IEnumerable<string> devices, int seq) =>
        client.PostAsync("/api/telemetry", new StringContent(
            "[" + string.Join(",", devices.Select(d => $$$"""{"deviceId":"{{{d}}}","seq":{{{seq}}},"timestamp":"{{{DateTimeOffset.UtcNow.AddMinutes(-30).AddSeconds(seq):O}}}","metrics":{"temperature":{{{Temperature(seq)}}}}}""")) + "]",
            Encoding.UTF8,
            "application/json"));
}
