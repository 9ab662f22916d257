using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansFleet.Persistence.AzureTables;
using Polly.CircuitBreaker;
using Xunit.Abstractions;

namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>
/// The storage account goes away for 20 s while devices keep reporting. Nothing a client was told is accepted may be
/// lost or doubled, and nothing may be answered with a 500.
/// </summary>
/// <remarks>
/// Ingestion goes through the telemetry stream, so the API keeps accepting (202: the stream has the events) while the
/// store is down, and the failure shows where it happens: the device grains' deliveries fail, the history's breaker
/// opens, <c>/health/ready</c> reports it, and the stream redelivers until the store is back. A 503 is still allowed
/// (a request may reach storage directly, as device reads do), a 500 never.
/// </remarks>
public sealed class AzuriteOutageTests(ITestOutputHelper output)
{
    private const int Devices = 8;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    // A device resends a refused reading as it was: same seq, same timestamp (the history key is made of both).
    private readonly DateTimeOffset _t0 = DateTimeOffset.UtcNow.AddMinutes(-10);

    [Fact]
    public async Task Storage_outage_opens_the_breaker_answers_no_500_and_every_accepted_event_reaches_the_history_once()
    {
        await using PrivateAzurite azurite = await PrivateAzurite.StartAsync();
        // Grain state and history on the account that goes away; membership and reminders in the silo, so the outage
        // tested is the one of the data, not of the cluster (AzureStorageClusteringTests covers membership).
        await using TablesHostFactory host = TablesHostFactory.LocalCluster(azurite.ConnectionString, $"outage-{_run}", new Dictionary<string, string?>
        {
            ["Orleans:Clustering:ProviderType"] = "Development",
            ["Orleans:Reminders:ProviderType"] = "Memory",
        });
        using HttpClient client = host.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        TelemetryStoreCircuit circuit = host.Services.GetRequiredService<TelemetryStoreCircuit>();
        await WaitUntilReadyAsync(client);

        Dictionary<string, List<long>> accepted = [];
        List<HttpStatusCode> statuses = [];
        long seq = 1;

        // Before: the account is up, the batch is accepted. One batch only: its successful transactions count in the
        // breaker's sampling window, and the first failed flush (two failing attempts per device) must outweigh them.
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(client, seq++, accepted));
        // The stream applies it a moment after the 202: let the devices be active with state before the account goes,
        // so the outage hits their writes (history, then state), not their first state read.
        foreach (int i in Enumerable.Range(0, Devices))
        {
            DateTime appliedDeadline = DateTime.UtcNow.AddSeconds(30);
            // 404 until the device has applied its first event (an unknown device), then its history.
            while (await client.GetAsync($"/api/devices/{Device(i)}/telemetry") is not { IsSuccessStatusCode: true } response
                || !(await response.Content.ReadAsStringAsync()).Contains("\"seq\":1", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < appliedDeadline, $"{Device(i)} did not apply its first reading within 30 s");
                await Task.Delay(50);
            }
        }

        await azurite.StopAsync();
        bool sawOpen = false;
        bool sawNotReady = false;
        int unavailable = 0;
        Stopwatch down = Stopwatch.StartNew();
        while (down.Elapsed < Outage)
        {
            long started = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await client.PostAsync("/api/telemetry", Batch(seq));
            statuses.Add(response.StatusCode);
            output.WriteLine($"{down.Elapsed.TotalSeconds:0.0} s: {(int)response.StatusCode} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms, breaker {circuit.State}: {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                Record(seq++, accepted);
            }
            else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                unavailable++;
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without Retry-After");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            sawOpen |= circuit.State == CircuitState.Open;
            using HttpResponseMessage ready = await client.GetAsync("/health/ready");
            sawNotReady |= ready.StatusCode == HttpStatusCode.ServiceUnavailable;
            // A client pacing its retries; the loop is bounded by the outage window, not waiting for a condition.
            await Task.Delay(200);
        }

        await azurite.StartAgainAsync();
        await WaitUntilReadyAsync(client);

        // After: the batch that was refused is sent again until it is accepted, then traffic goes on normally.
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using HttpResponseMessage response = await client.PostAsync("/api/telemetry", Batch(seq));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                Record(seq, accepted);
                break;
            }

            statuses.Add(response.StatusCode);
            Assert.True(DateTime.UtcNow < deadline, $"The refused batch was still answered {response.StatusCode} 30 s after the account came back: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200);
        }

        long last = seq + 3;
        for (seq++; seq <= last; seq++)
        {
            Assert.Equal(HttpStatusCode.Accepted, await PostAsync(client, seq, accepted));
        }

        output.WriteLine($"statuses during the run: {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key}×{g.Count()}"))}; breaker seen open: {sawOpen}");
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Accepted, HttpStatusCode.ServiceUnavailable }));
        output.WriteLine($"503 answers during the outage: {unavailable}");
        Assert.True(sawOpen, "The telemetry history breaker never opened.");
        Assert.True(sawNotReady, "/health/ready never reported the open breaker.");

        // The stream delivers what it holds once the store is back: wait for every accepted reading, then check it is
        // there exactly once.
        foreach ((string device, List<long> seqs) in accepted)
        {
            DateTime historyDeadline = DateTime.UtcNow.AddSeconds(90);
            List<long> stored;
            while (true)
            {
                using HttpResponseMessage response = await client.GetAsync($"/api/devices/{device}/telemetry?limit=1000");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                JsonElement page = await response.Content.ReadFromJsonAsync<JsonElement>();
                stored = [.. page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("seq").GetInt64())];
                if (seqs.All(stored.Contains) || DateTime.UtcNow > historyDeadline)
                {
                    break;
                }

                await Task.Delay(200);
            }

            Assert.Equal(stored.Count, stored.Distinct().Count());
            Assert.All(seqs, s => Assert.Single(stored, s));
        }
    }

    private string Device(int i) => $"outage-{_run}-{i}";

    private StringContent Batch(long seq)
    {
        DateTimeOffset at = _t0.AddSeconds(seq);
        string events = string.Join(",", Enumerable.Range(0, Devices).Select(i =>
            $$$"""{"deviceId":"{{{Device(i)}}}","seq":{{{seq}}},"timestamp":"{{{at:O}}}","metrics":{"temperature":{{{20 + i}}}}}"""));
        return new StringContent($"[{events}]", Encoding.UTF8, "application/json");
    }

    private async Task<HttpStatusCode> PostAsync(HttpClient client, long seq, Dictionary<string, List<long>> accepted)
    {
        using HttpResponseMessage response = await client.PostAsync("/api/telemetry", Batch(seq));
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            Record(seq, accepted);
        }

        return response.StatusCode;
    }

    private void Record(long seq, Dictionary<string, List<long>> accepted)
    {
        for (int i = 0; i < Devices; i++)
        {
            if (!accepted.TryGetValue(Device(i), out List<long>? seqs))
            {
                accepted[Device(i)] = seqs = [];
            }

            seqs.Add(seq);
        }
    }

    private static async Task WaitUntilReadyAsync(HttpClient client)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using HttpResponseMessage ready = await client.GetAsync("/health/ready");
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/health/ready still answered {ready.StatusCode} after 30 s.");
            await Task.Delay(100);
        }
    }
}
