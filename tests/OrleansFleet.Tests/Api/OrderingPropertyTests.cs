using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansFleet.Grains;
using OrleansFleet.Grains.Domain;
using OrleansFleet.Grains.State;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>
/// The whole ingestion path (HTTP, validation, grouping, concurrent grain calls, reordering by seq, duplicate drop)
/// must end where a single-threaded model fed the same events in seq order ends. The reference runs the same domain
/// rules (DeviceModel, tested on its own in Domain/); what this property checks is that concurrency, arrival order and
/// redelivery never change the outcome.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OrderingPropertyTests(ApiFactory factory)
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-2);

    /// <summary>One device's events in seq order; temperature and pressure swing across the rule thresholds.</summary>
    private static readonly Gen<TelemetryEvent[]> DeviceStream =
        Gen.Int[3, 40].SelectMany(count => Gen.Select(Gen.Int[0, 99], Gen.Double[0, 120], Gen.Double[8, 14]).Array[count])
            .Select(steps => steps.Select((step, i) =>
            {
                var seq = i + 1L;
                var at = Start.AddSeconds(seq * 3);
                var (kind, temperature, pressure) = step;
                var metrics = new Dictionary<string, double> { ["temperature"] = Math.Round(temperature, 1), ["pressure"] = Math.Round(pressure, 2) };
                return kind switch
                {
                    < 6 => new TelemetryEvent("", seq, at, TelemetryJson.EmptyMetrics, DeviceStatus.Shutdown),
                    < 14 => new TelemetryEvent("", seq, at, metrics, DeviceStatus.Running),
                    < 16 => new TelemetryEvent("", seq, at, metrics, DeviceStatus.Maintenance),
                    _ => new TelemetryEvent("", seq, at, metrics),
                };
            }).ToArray());

    /// <summary>A fleet: 500–600 devices, a tenth of the events sent twice, and the seed that shuffles arrival.</summary>
    private static readonly Gen<(TelemetryEvent[][] Devices, int DuplicateEvery, int ShuffleSeed)> Fleet =
        Gen.Select(Gen.Int[500, 600].SelectMany(n => DeviceStream.Array[n]), Gen.Int[7, 13], Gen.Int);

    [Fact]
    public async Task Concurrent_shuffled_and_duplicated_http_ingestion_ends_like_the_sequential_reference()
    {
        var options = factory.Services.GetRequiredService<IOptions<FleetOptions>>().Value;
        var client = factory.CreateValidatedClient();
        await Fleet.SampleAsync(async fleet => await CheckAsync(fleet.Devices, fleet.DuplicateEvery, fleet.ShuffleSeed, client, options), iter: 2, threads: 1);
    }

    private static async Task CheckAsync(TelemetryEvent[][] devices, int duplicateEvery, int shuffleSeed, HttpClient client, FleetOptions options)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var streams = devices.Select((events, i) =>
        {
            var id = $"prop-{run}-{i:D3}";
            return (Id: id, Events: events.Select(e => e with { DeviceId = id }).ToArray());
        }).ToList();

        // Arrival: every event once, every n-th event a second time, all shuffled together across devices.
        var random = new Random(shuffleSeed);
        var sent = streams.SelectMany(s => s.Events).ToList();
        sent.AddRange(sent.Where((_, i) => i % duplicateEvery == 0).ToList());
        var arrival = sent.OrderBy(_ => random.Next()).ToList();
        var duplicatesOf = arrival.GroupBy(e => e.DeviceId).ToDictionary(g => g.Key, g => g.Count() - g.Select(e => e.Seq).Distinct().Count());

        // Requests of 250 events, eight in flight at once.
        var requests = arrival.Chunk(250).Select(ToJson).ToList();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (body, ct) =>
        {
            using var response = await client.PostAsync("/api/telemetry", new StringContent(body, Encoding.UTF8, "application/json"), ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        });

        foreach (var (id, events) in streams)
        {
            var reference = new DeviceModel(id, new DeviceState(), options);
            foreach (var e in events)
            {
                reference.Receive(e, DateTimeOffset.UtcNow);
            }

            var expected = reference.View();
            var received = events.Length + duplicatesOf[id];
            var actual = (await Eventually.DeviceAsync(client, id, d => d.Counters.Applied + d.Counters.Duplicates + d.Pending >= received, seconds: 60))!;
            Assert.Equal((expected.Status, expected.LastSeq, expected.LastSeen, 0), (actual.Status, actual.LastSeq, actual.LastSeen, actual.Pending));
            Assert.Equal(new DeviceCounters(events.Length, duplicatesOf[id], 0), actual.Counters);
            Assert.Equal(expected.Metrics.OrderBy(m => m.Key), actual.Metrics.OrderBy(m => m.Key));

            var alarms = await client.GetFromJsonAsync<Alarm[]>($"/api/devices/{id}/alarms?state=all", ApiFactory.Json);
            Assert.Equal(reference.Alarms(includeCleared: true), alarms!);
        }
    }

    private static string ToJson(TelemetryEvent[] events) => JsonSerializer.Serialize(events.Select(e => new Dictionary<string, object?>
    {
        ["deviceId"] = e.DeviceId,
        ["seq"] = e.Seq,
        ["timestamp"] = e.Timestamp.ToString("O"),
        ["metrics"] = e.Metrics.Count > 0 || e.Status is null ? e.Metrics : null,
        ["status"] = e.Status?.ToString().ToLowerInvariant(),
    }.Where(p => p.Value is not null).ToDictionary()));
}
