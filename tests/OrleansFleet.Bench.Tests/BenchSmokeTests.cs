using OrleansFleet.Bench.Variants;
using OrleansFleet.Simulator;

namespace OrleansFleet.Bench.Tests;

/// <summary>
/// Runs the whole suite in its tiny smoke mode (100 devices, 2,000 measured events after the warm-up, every row the
/// bench can start its own services for: redis-server, PostgreSQL, the built host), so the benchmark keeps compiling
/// and keeps measuring what it claims. Counts and order only: timings are never asserted.
/// </summary>
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task Smoke_run_applies_every_event_in_order_in_every_ordered_row_new_rows_included()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var runner = new BenchRunner(BenchSettings.Smoke, new SilentProgress());
        var report = await runner.RunAsync(timeout.Token);

        var expectedRows = runner.Variants.Sum(v => runner.UniformOnly(v) ? 1 : 2);
        Assert.Equal(expectedRows, report.Results.Count);
        Assert.All(report.Results, r => Assert.Null(r.Failure));
        Assert.All(report.Results, r => Assert.False(r.TimedOut, $"{r.Name} [{r.Shape}] timed out"));
        foreach (var row in report.Results.Where(r => r.Key != "naive-pool"))
        {
            Assert.True(row.Correct, $"{row.Name} [{row.Shape}]: {row.Problem}");
            Assert.Equal(0, row.OrderViolations);
        }

        // Steady-state rows time at least the measured events after the warm-up; the cold-start row times the warm-up:
        // the first event of each of the 100 devices.
        Assert.All(report.Results.Where(r => !r.Key.EndsWith("-cold", StringComparison.Ordinal)), r => Assert.True(r.Events >= 2_000, $"{r.Key}: {r.Events}"));
        Assert.Equal(100, Assert.Single(report.Results, r => r.Key == "orleans-direct-cold").Events);
        foreach (var key in new[] { "raw-orleans-memory", "raw-orleans-stored", "akka-persistence", "orleans-direct", "orleans-stream-memory", "orleans-stream-redis", "orleans-http", "orleans-http-paced" })
        {
            Assert.Contains(report.Results, r => r.Key == key);
        }

        Assert.All(report.Results.Where(r => r.Key is "orleans-direct" or "raw-orleans-memory" or "akka-persistence"), r => Assert.NotNull(r.WarmSeconds));
        Assert.Equal(9, report.Targets.Count);
        Assert.DoesNotContain(report.Targets, t => t.Status == "not run");
        Assert.Contains(report.Profiles, p => p.Key == "orleans-direct" && p.Lines.Count > 1);
    }

    [Fact]
    public void Warm_up_holds_each_reporting_device_first_event_and_the_measured_part_keeps_seq_order()
    {
        var workload = Workload.Generate(TrafficShape.Zipf, 500, 20_000, seed: 3);

        Assert.True(workload.Measured.Count >= 20_000);
        var warm = Enumerable.Range(workload.Warm.Start, workload.Warm.Count).ToList();
        Assert.All(warm, i => Assert.Equal(1, workload.Events[i].Seq));
        Assert.Equal(warm.Count, warm.Select(i => workload.DeviceOf[i]).Distinct().Count());
        var last = new long[500];
        foreach (var i in warm)
        {
            last[workload.DeviceOf[i]] = 1;
        }

        for (var i = workload.Measured.Start; i < workload.Measured.End; i++)
        {
            var device = workload.DeviceOf[i];
            Assert.Equal(last[device] + 1, workload.Events[i].Seq);
            last[device]++;
        }
    }

    [Fact]
    public void Batch_plan_sends_every_measured_event_once_in_seq_order_about_five_per_call_on_uniform_traffic()
    {
        var workload = Workload.Generate(TrafficShape.Uniform, 1_000, 100_000, seed: 5);
        var plan = workload.Batches(workload.Measured);

        var seen = new HashSet<int>();
        var last = new long[1_000];
        foreach (var batch in plan.Batches)
        {
            Assert.InRange(batch.Count, 1, BatchPlan.MaxBatch);
            foreach (var index in plan.EventsOf(batch))
            {
                Assert.True(workload.Measured.Contains(index));
                Assert.True(seen.Add(index));
                Assert.Equal(batch.Device, workload.DeviceOf[index]);
                Assert.True(workload.Events[index].Seq > last[batch.Device]);
                last[batch.Device] = workload.Events[index].Seq!.Value;
            }
        }

        Assert.Equal(workload.Measured.Count, seen.Count);
        Assert.InRange((double)workload.Measured.Count / plan.Batches.Length, 4, 6);
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
