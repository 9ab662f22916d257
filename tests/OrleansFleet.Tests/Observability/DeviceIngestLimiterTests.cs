using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrleansFleet.Hosting.Ingestion;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Observability;

/// <summary>The per-device token buckets: whole requests, refill over time, bounded memory.</summary>
public sealed class DeviceIngestLimiterTests
{
    private readonly FakeTimeProvider _time = new(Events.T0);

    private DeviceIngestLimiter Limiter(double rate, int burst, int maxDevices = 1_000) =>
        new(Options.Create(new DeviceIngestLimitOptions { PerDeviceEventsPerSecond = rate, PerDeviceBurst = burst, MaxTrackedDevices = maxDevices }), _time);

    private static TelemetryEvent[] Batch(params (string Device, int Count)[] parts) =>
        [.. parts.SelectMany(p => Enumerable.Range(0, p.Count).Select(_ => new TelemetryEvent(p.Device, null, Events.T0, TelemetryJson.EmptyMetrics)))];

    [Fact]
    public void A_request_over_one_devices_limit_is_refused_whole_and_spends_no_other_devices_tokens()
    {
        var limiter = Limiter(rate: 10, burst: 20);
        Assert.Null(limiter.TryAdmit(Batch(("hot", 15))));

        var refusal = limiter.TryAdmit(Batch(("calm", 20), ("hot", 10)));
        Assert.NotNull(refusal);
        Assert.Equal(("hot", 10, 5.0), (refusal.DeviceId, refusal.Requested, refusal.Available));
        Assert.Equal(TimeSpan.FromSeconds(0.5), refusal.RetryAfter);
        // "calm" kept its full burst: the refused request took nothing from it.
        Assert.Null(limiter.TryAdmit(Batch(("calm", 20))));
    }

    [Fact]
    public void Tokens_refill_at_the_configured_rate_up_to_the_burst()
    {
        var limiter = Limiter(rate: 10, burst: 20);
        Assert.Null(limiter.TryAdmit(Batch(("d", 20))));
        Assert.NotNull(limiter.TryAdmit(Batch(("d", 1))));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(limiter.TryAdmit(Batch(("d", 10))));
        Assert.NotNull(limiter.TryAdmit(Batch(("d", 1))));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.NotNull(limiter.TryAdmit(Batch(("d", 21))));
        Assert.Null(limiter.TryAdmit(Batch(("d", 20))));
    }

    [Fact]
    public void More_events_than_the_burst_are_refused_without_a_retry_time()
    {
        var refusal = Limiter(rate: 10, burst: 20).TryAdmit(Batch(("d", 21)));
        Assert.NotNull(refusal);
        Assert.Null(refusal.RetryAfter);
    }

    [Fact]
    public void The_limiter_remembers_at_most_its_configured_number_of_devices()
    {
        var limiter = Limiter(rate: 1, burst: 1, maxDevices: 1_000);
        for (var i = 0; i < 5_000; i++)
        {
            Assert.Null(limiter.TryAdmit(Batch(($"d{i}", 1))));
        }

        Assert.Equal(1_000, limiter.TrackedDevices);
        // The most recent devices are still limited; the oldest were forgotten.
        Assert.NotNull(limiter.TryAdmit(Batch(("d4999", 1))));
        Assert.Null(limiter.TryAdmit(Batch(("d0", 1))));
    }

    [Fact]
    public void No_limit_is_applied_when_none_is_configured()
    {
        var limiter = Limiter(rate: 0, burst: 0);
        Assert.Null(limiter.TryAdmit(Batch(("d", 5_000))));
        Assert.Equal(0, limiter.TrackedDevices);
    }
}
