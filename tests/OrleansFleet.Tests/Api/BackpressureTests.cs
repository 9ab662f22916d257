using System.Net;
using System.Text;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>
/// Sustained overload of the embedded host from several concurrent senders: the memory streams' admission budget
/// (<c>Fleet:Ingest:MaxUnappliedEvents</c>) refuses what does not fit, whole, with 503 + Retry-After, never a 500.
/// </summary>
public sealed class BackpressureTests
{
    private const int Senders = 4;
    private const int DevicesPerSender = 500;
    private const int Requests = 6;

    [Fact]
    public async Task Concurrent_senders_over_the_budget_get_202_or_503_and_every_accepted_event_is_applied_exactly_once()
    {
        await using var factory = new ApiFactory(new Dictionary<string, string>
        {
            // One request's worth: a second request arriving before the first is applied is refused.
            ["Fleet:Ingest:MaxUnappliedEvents"] = (DevicesPerSender * 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Refuse at once instead of holding the request for room: this test is about the refusal.
            ["Fleet:Ingest:MaxAdmissionWait"] = "00:00:00",
        });
        var run = Guid.NewGuid().ToString("N")[..8];
        var refused = 0;
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(async sender =>
        {
            using var client = factory.CreateClient();
            var devices = Enumerable.Range(0, DevicesPerSender).Select(i => $"bp-{run}-{sender}-{i}").ToArray();
            var deadline = DateTime.UtcNow.AddSeconds(120);
            for (var seq = 1; seq <= Requests; seq++)
            {
                // Two events per device per request: seq*2-1 and seq*2, the request resent as it was until accepted.
                var body = "[" + string.Join(",", devices.SelectMany(d => new[] { seq * 2 - 1, seq * 2 }.Select(s =>
                    $$$"""{"deviceId":"{{{d}}}","seq":{{{s}}},"timestamp":"{{{DateTimeOffset.UtcNow.AddMinutes(-1):O}}}","metrics":{"temperature":{{{s}}}}}"""))) + "]";
                while (true)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"sender {sender} was refused for 120 s");
                    using var response = await client.PostAsync("/api/telemetry", new StringContent(body, Encoding.UTF8, "application/json"));
                    statuses.Add(response.StatusCode);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        break;
                    }

                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    var retryAfter = response.Headers.RetryAfter?.Delta;
                    Assert.True(retryAfter > TimeSpan.Zero, "503 without Retry-After");
                    Interlocked.Increment(ref refused);
                    // Honour the hint, shortened: the test bounds its own time, the header's value is what is checked.
                    await Task.Delay(TimeSpan.FromMilliseconds(50));
                }
            }
        }));

        Assert.DoesNotContain(HttpStatusCode.InternalServerError, statuses);
        Assert.True(refused > 0, "the budget should have refused some requests");
        using var reader = factory.CreateClient();
        foreach (var device in Enumerable.Range(0, Senders).SelectMany(s => Enumerable.Range(0, DevicesPerSender).Select(i => $"bp-{run}-{s}-{i}")))
        {
            // Exactly once: a refused request was refused whole, so its resend duplicates nothing.
            var view = await Eventually.DeviceAsync(reader, device, d => d.LastSeq == Requests * 2);
            Assert.Equal(new DeviceCounters(Requests * 2, 0, 0), view!.Counters);
        }
    }
}
