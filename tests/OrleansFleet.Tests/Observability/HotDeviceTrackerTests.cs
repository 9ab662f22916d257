using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrleansFleet.Grains.HotDevices;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Observability;

/// <summary>The space-saving top-K against exact counts on skewed (Zipf) traffic, and the sliding window.</summary>
public sealed class HotDeviceTrackerTests
{
    private const int Devices = 5_000;

    // Zipf(s) over Devices ranks by inverse CDF: rank 0 is the hottest.
    private static Func<int> Zipf(Random random, double s)
    {
        var cdf = new double[Devices];
        double sum = 0;
        for (var i = 0; i < Devices; i++)
        {
            cdf[i] = sum += 1 / Math.Pow(i + 1, s);
        }

        return () =>
        {
            var u = random.NextDouble() * sum;
            var index = Array.BinarySearch(cdf, u);
            return index >= 0 ? index : ~index;
        };
    }

    private static TelemetryEvent Event(string deviceId) => new(deviceId, null, Events.T0, TelemetryJson.EmptyMetrics);

    [Theory]
    [InlineData(1, 0.9)]
    [InlineData(2, 1.1)]
    [InlineData(3, 1.4)]
    public void Summary_estimates_stay_within_the_space_saving_bound_and_hold_every_frequent_device(int seed, double skew)
    {
        const int Capacity = 100;
        const int N = 200_000;
        var next = Zipf(new Random(seed), skew);
        var summary = new SpaceSavingSummary(Capacity);
        var exact = new Dictionary<string, long>();
        for (var i = 0; i < N; i++)
        {
            var key = $"d{next()}";
            summary.Record(key);
            exact[key] = exact.GetValueOrDefault(key) + 1;
        }

        Assert.Equal(N, summary.Total);
        Assert.InRange(summary.MaxError, 0, N / Capacity);
        Assert.Equal(Capacity, summary.Counters().Count());
        foreach (var (key, count, error) in summary.Counters())
        {
            var truth = exact[key];
            // Never under, over by at most the counter's inherited error, which is at most N / capacity.
            Assert.InRange(count, truth, truth + error);
            Assert.InRange(error, 0, summary.MaxError);
        }

        foreach (var (key, truth) in exact.Where(p => p.Value > summary.MaxError))
        {
            Assert.True(summary.TryGet(key, out _), $"{key} ({truth} events) is above the bound {summary.MaxError} and must hold a counter");
        }
    }

    [Theory]
    [InlineData(11, 1.0)]
    [InlineData(12, 1.2)]
    public void Tracker_ranks_the_true_top_devices_over_its_window_within_the_merged_bound(int seed, double skew)
    {
        var time = new FakeTimeProvider(Events.T0);
        var options = new HotDeviceOptions { Interval = TimeSpan.FromSeconds(5), WindowIntervals = 6, Capacity = 64, HistoryIntervals = 12 };
        var tracker = new HotDeviceTracker(Options.Create(options), time);
        var next = Zipf(new Random(seed), skew);
        var exact = new Dictionary<string, long>();
        // 12 intervals of traffic in requests of 50 events: only the last 6 intervals are in the window.
        for (var interval = 0; interval < 12; interval++)
        {
            for (var request = 0; request < 100; request++)
            {
                var events = Enumerable.Range(0, 50).Select(_ => Event($"d{next()}")).ToList();
                tracker.Record(events);
                if (interval >= 6)
                {
                    foreach (var e in events)
                    {
                        exact[e.DeviceId] = exact.GetValueOrDefault(e.DeviceId) + 1;
                    }
                }
            }

            if (interval < 11)
            {
                time.Advance(options.Interval);
            }
        }

        var snapshot = tracker.Snapshot("silo", 10);
        var total = exact.Values.Sum();
        Assert.Equal(total, snapshot.TotalEvents);
        Assert.InRange(snapshot.MaxError, 0, total / options.Capacity);
        Assert.Equal(10, snapshot.Devices.Count);
        foreach (var device in snapshot.Devices)
        {
            Assert.InRange(device.Events, exact.GetValueOrDefault(device.DeviceId) - snapshot.MaxError, exact.GetValueOrDefault(device.DeviceId) + snapshot.MaxError);
        }

        // Every true top-10 device clearly ahead of the 11th (by more than the two-sided error) is reported.
        var trueTop = exact.OrderByDescending(p => p.Value).ToList();
        foreach (var (key, count) in trueTop.Take(10).Where(p => p.Value > trueTop[10].Value + (2 * snapshot.MaxError)))
        {
            Assert.Contains(snapshot.Devices, d => d.DeviceId == key);
        }

        Assert.Equal("d0", snapshot.Devices[0].DeviceId);
        Assert.Equal(12, snapshot.Intervals.Count);
        Assert.All(snapshot.Intervals, i => Assert.Equal(5_000, i.Events));
    }

    [Fact]
    public void A_device_silent_for_a_whole_window_drops_out_and_memory_stays_bounded()
    {
        var time = new FakeTimeProvider(Events.T0);
        var options = new HotDeviceOptions { Interval = TimeSpan.FromSeconds(1), WindowIntervals = 3, Capacity = 8, HistoryIntervals = 5 };
        var tracker = new HotDeviceTracker(Options.Create(options), time);
        tracker.Record([.. Enumerable.Repeat(Event("runaway"), 500)]);
        // Far more distinct devices than counters: each interval still holds at most Capacity of them.
        tracker.Record([.. Enumerable.Range(0, 1_000).Select(i => Event($"d{i}"))]);
        Assert.Equal("runaway", tracker.Snapshot("silo", 1).Devices[0].DeviceId);
        Assert.True(tracker.Snapshot("silo", 100).Devices.Count <= options.Capacity * options.WindowIntervals);

        time.Advance(TimeSpan.FromSeconds(3));
        tracker.Record([Event("quiet")]);
        var snapshot = tracker.Snapshot("silo", 10);
        Assert.Equal(["quiet"], snapshot.Devices.Select(d => d.DeviceId));
        Assert.Equal(1, snapshot.TotalEvents);
        Assert.Equal([0, 1_500, 0, 0, 1], snapshot.Intervals.Select(i => i.Events));
    }
}
