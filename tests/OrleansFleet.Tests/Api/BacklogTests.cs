using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>
/// A stream lagging well past the reorder hold time, with concurrent senders that reorder each device's events across
/// requests. The hold is measured on the partition's stream clock, so a gap whose missing event is still in the
/// backlog is never skipped, and no acknowledged event is dropped.
/// </summary>
public sealed class BacklogTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_backlog_far_longer_than_the_hold_time_applies_every_acknowledged_event_once_with_zero_gaps()
    {
        const int Rounds = 5;
        // Each partition's batch takes 600 ms to apply, and each partition carries about ten batches: the last one is
        // delivered about 6 s after it was appended, three hold times.
        await using var factory = new ApiFactory(
            new Dictionary<string, string> { ["Fleet:ReorderHoldTime"] = Hold.ToString() },
            services => services.AddSingleton<IIncomingGrainCallFilter>(new SlowDeviceFilter(TimeSpan.FromMilliseconds(600))));
        using var client = factory.CreateClient();
        var run = Guid.NewGuid().ToString("N")[..8];
        var devices = Enumerable.Range(0, 40).Select(i => $"lag-{run}-{i}").ToArray();

        // Two senders per round, all at once: one sends each device's odd seqs, the other its even seqs, so every
        // device's events interleave across requests in whatever order the stream gets them.
        var posts = Enumerable.Range(0, Rounds).SelectMany(round => Enumerable.Range(1, 2).Select(parity =>
        {
            var seqs = Enumerable.Range(round * 10 + 1, 10).Where(s => s % 2 == parity % 2).ToArray();
            var body = "[" + string.Join(",", devices.SelectMany(d => seqs.Select(s =>
                $$$"""{"deviceId":"{{{d}}}","seq":{{{s}}},"timestamp":"{{{DateTimeOffset.UtcNow.AddMinutes(-1).AddMilliseconds(s):O}}}","metrics":{"temperature":{{{s}}}}}"""))) + "]";
            return client.PostAsync("/api/telemetry", new StringContent(body, Encoding.UTF8, "application/json"));
        })).ToList();
        Assert.All(await Task.WhenAll(posts), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));

        foreach (var device in devices)
        {
            var view = await Eventually.DeviceAsync(client, device, d => d.LastSeq == Rounds * 10 && d.Pending == 0, seconds: 90);
            Assert.Equal(new DeviceCounters(Rounds * 10, 0, 0, 0), view!.Counters);
        }
    }
}
