using OrleansFleet.Simulator;

namespace OrleansFleet.Bench.Tests;

/// <summary>
/// Runs the whole suite in its tiny smoke mode (200 devices, 5,000 events, in-process variants only, the memory stream included, Redis left out), so the
/// benchmark keeps compiling and keeps measuring what it claims. Counts and order only: timings are never asserted.
/// </summary>
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task Smoke_run_applies_every_event_in_order_in_every_ordered_variant()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var report = await new BenchRunner(BenchSettings.Smoke, new SilentProgress()).RunAsync(timeout.Token);

        var expectedRows = BenchRunner.AllVariants.Count(v => v.InProcess && !v.NeedsServices) * 2;
        Assert.Equal(expectedRows, report.Results.Count);
        Assert.All(report.Results, r => Assert.Null(r.Failure));
        Assert.All(report.Results, r => Assert.Equal(5_000, r.Events));
        foreach (var row in report.Results.Where(r => r.Key != "naive-pool"))
        {
            Assert.True(row.Correct, $"{row.Name} [{row.Shape}]: {row.Problem}");
            Assert.Equal(0, row.OrderViolations);
        }

        Assert.Contains(report.Targets, t => t.Target.StartsWith("Zero order violations", StringComparison.Ordinal));
        // The memory stream path runs in smoke mode, through the real implicit subscription.
        Assert.Contains(report.Results, r => r.Key == "orleans-stream-memory");
        Assert.Single(report.NotYet);
    }

    [Fact]
    public void Zipf_shape_gives_the_hot_device_a_fifth_of_the_traffic()
    {
        var picker = new DevicePicker(TrafficShape.Zipf, 10_000, seed: 1);
        var hot = Enumerable.Range(0, 100_000).Count(_ => picker.Next() == 0);
        Assert.InRange(hot / 100_000.0, 0.19, 0.21);
    }

    [Theory]
    [InlineData(DeviceRole.OverheatThenShutdown)]
    [InlineData(DeviceRole.Flapping)]
    [InlineData(DeviceRole.Normal)]
    public void Scripted_alarms_match_the_real_device_model(DeviceRole role)
    {
        var options = new Grains.FleetOptions
        {
            Rules = [new AlarmRule { Id = "temperature-high", Metric = "temperature", Threshold = 90, ClearThreshold = 85 }],
        };
        var model = new Grains.Domain.DeviceModel("d", new Grains.State.DeviceState(), options);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        for (long seq = 1; seq <= 437; seq++)
        {
            var (temperature, status) = DeviceScript.Event(role, 1, seq);
            model.Receive(new TelemetryEvent("d", seq, start.AddMilliseconds(seq), DeviceScript.Metrics(temperature), status), DateTimeOffset.UtcNow);
            var open = model.State.OpenAlarms.Count;
            var visible = open + model.Cold.AlarmHistory.Count;
            Assert.True(DeviceScript.AlarmsMatch(role, seq, open, visible, options.AlarmHistoryLimit), $"{role} after seq {seq}: {open} open, {visible} in all");
        }
    }
}
