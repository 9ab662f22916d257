using System.Diagnostics;
using System.Runtime;
using OrleansFleet.Bench.Durable;
using OrleansFleet.Bench.Measurement;
using OrleansFleet.Bench.Raw;
using OrleansFleet.Bench.Variants;
using OrleansFleet.Simulator;

namespace OrleansFleet.Bench;

/// <summary>
/// Runs every variant on the same pre-generated workload per traffic shape, measures each run (throughput, latency,
/// order, allocation, GC pauses, working set), verifies the devices' final state, and gathers the report. Usable from
/// the console program and from tests alike.
/// </summary>
/// <remarks>
/// A steady-state row first replays the workload's warm-up (each device's first event) untimed, so every device is
/// active, then times the measured part on the same instance. A cold-start row times the warm-up alone on a fresh
/// instance. Services a row needs (PostgreSQL for the Akka.Persistence row) are started once per bench run and
/// stopped when it ends, however it ends.
/// </remarks>
public sealed class BenchRunner(BenchSettings settings, IBenchProgress progress)
{
    private readonly HttpPace _pace = new();
    private readonly BenchServices _services = new();

    /// <summary>The variants this run includes, in table order.</summary>
    public IReadOnlyList<IBenchVariant> Variants => [.. All().Where(Included)];

    /// <summary>Every variant, in table order, wired to this run's HTTP pace and services.</summary>
    private IReadOnlyList<IBenchVariant> All() =>
    [
        new SequentialVariant(),
        new NaivePoolVariant(),
        new ShardedPoolVariant(batched: false),
        new ShardedPoolVariant(batched: true),
        new AkkaVariant(batched: false),
        new AkkaVariant(batched: true),
        new AkkaPersistenceVariant(_services),
        new RawOrleansVariant(stored: false),
        new RawOrleansVariant(stored: true),
        new OrleansDirectVariant(),
        new ColdStartVariant(new OrleansDirectVariant()),
        new OrleansDirectVariant(DirectDiagnostic.JsonStorage),
        new OrleansDirectVariant(DirectDiagnostic.NoCheckpoints),
        new OrleansStreamVariant(StreamTransport.Memory),
        new OrleansStreamVariant(StreamTransport.Redis),
        new HttpVariant(),
        new HttpVariant(_pace),
    ];

    /// <summary>Whether <paramref name="variant"/> takes part in this run.</summary>
    public bool Included(IBenchVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return (variant.InProcess || settings.IncludeHttp)
            && (!variant.NeedsServices || settings.IncludeServices)
            && !settings.Exclude.Contains(variant.Key)
            && (settings.Only is null || settings.Only.Any(only => Selects(only, variant.Key, [.. All().Select(v => v.Key)])));
    }

    // A selector equal to some key picks that variant alone (orleans-direct, not orleans-direct-cold); any other
    // selector picks every key containing it.
    private static bool Selects(string only, string key, IReadOnlyList<string> keys) =>
        keys.Contains(only, StringComparer.OrdinalIgnoreCase)
            ? key.Equals(only, StringComparison.OrdinalIgnoreCase)
            : key.Contains(only, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="variant"/> runs on uniform traffic only in this run.</summary>
    public bool UniformOnly(IBenchVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return variant.UniformOnly || settings.UniformOnlyKeys.Contains(variant.Key);
    }

    /// <summary>Runs everything and returns the report; services it started are stopped before it returns.</summary>
    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunAllAsync(cancellationToken);
        }
        finally
        {
            await _services.StopAsync();
        }
    }

    private async Task<BenchReport> RunAllAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var report = new BenchReport
        {
            StartedAt = DateTimeOffset.UtcNow,
            Machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC",
            Settings = settings,
            NotYet =
            [
                "OrleansFleet through Azure Event Hubs (needs a real namespace; its provider comes with the Event Hubs issue)",
            ],
        };

        var variants = Variants;
        foreach (var shape in settings.Shapes)
        {
            var workload = Workload.Generate(shape, settings.Devices, settings.Events, settings.Seed);
            foreach (var variant in variants.Where(v => shape == TrafficShape.Uniform || !UniformOnly(v)))
            {
                var variantWorkload = workload;
                if (settings.EventCaps.TryGetValue(variant.Key, out var cap) && cap < settings.Events)
                {
                    // Same seed, fewer events: the same traffic, cut short. Never below 100 events per device, the
                    // least that makes a row steady state rather than mostly activation.
                    variantWorkload = Workload.Generate(shape, settings.Devices, Math.Max(cap, settings.Devices * BenchSettings.MinEventsPerDevice), settings.Seed);
                }
                else if (variant is HttpVariant { Paced: true } && PacedEvents(shape) < settings.Events)
                {
                    // The paced row's events take events/rate seconds to offer whatever the system does: sized to
                    // settings.PacedOffer, it measures latency instead of how long the pacing takes.
                    variantWorkload = Workload.Generate(shape, settings.Devices, PacedEvents(shape), settings.Seed);
                }

                var result = await RunVariantAsync(variant, variantWorkload, cancellationToken);
                report.Results.Add(result);
                if (variant is HttpVariant { Paced: false } && result.TimedOut is false && result.Failure is null)
                {
                    _pace.Record(shape, result.EventsPerSecond);
                }
            }
        }

        foreach (var key in settings.ProfileKeys)
        {
            if (variants.FirstOrDefault(v => v.Key == key) is { } variant)
            {
                report.Profiles.Add(await ProfileAsync(variant, cancellationToken));
            }
        }

        report.Targets = TargetEvaluator.Evaluate(report);
        report.Seconds = clock.Elapsed.TotalSeconds;
        return report;
    }

    /// <summary>Measured events of the paced HTTP row on <paramref name="shape"/>: its rate times <see cref="BenchSettings.PacedOffer"/>, never below 100 per device.</summary>
    private int PacedEvents(TrafficShape shape) =>
        (int)Math.Min(settings.Events, Math.Max(settings.Devices * BenchSettings.MinEventsPerDevice, _pace.RateFor(shape) * settings.PacedOffer.TotalSeconds));

    /// <summary>A run's time box: the paced row's also covers the time its pacing takes to offer every event.</summary>
    private TimeSpan TimeBox(IBenchVariant variant, Workload workload) =>
        variant is HttpVariant { Paced: true }
            ? settings.RunTimeout + TimeSpan.FromSeconds(workload.Measured.Count / _pace.RateFor(workload.Shape))
            : settings.RunTimeout;

    private async Task<VariantResult> RunVariantAsync(IBenchVariant variant, Workload workload, CancellationToken cancellationToken)
    {
        var shape = workload.Shape.ToString().ToLowerInvariant();
        var timed = variant.ColdStart ? workload.Warm : workload.Measured;
        var runs = new List<Measured>();
        var label = $"{variant.Name} [{shape}]";
        for (var run = 1; run <= settings.Runs; run++)
        {
            var step = settings.Runs > 1 ? $"{label} run {run}/{settings.Runs}" : label;
            try
            {
                runs.Add(await MeasureOnceAsync(variant, workload, step, cancellationToken));
                progress.Done(step, runs[^1].TimedOut ? $"timed out: {runs[^1].Rate:N0} events/s over what was applied" : $"{runs[^1].Rate:N0} events/s");
                if (runs[^1].TimedOut)
                {
                    // A row that does not fit its time box once will not on the next run either: report the partial run.
                    break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                progress.Done(step, $"failed: {ex.GetType().Name}: {ex.Message}");
                return new VariantResult { Key = variant.Key, Name = variant.Name, Shape = shape, Events = timed.Count, Failure = $"{ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" ") };
            }
        }

        var median = runs.OrderBy(r => r.Rate).ElementAt(runs.Count / 2);
        var wrong = runs.Select(r => r.Outcome).FirstOrDefault(o => o is not null && !o.Correct(timed.End));
        var timedOut = runs.FirstOrDefault(r => r.TimedOut);
        return new VariantResult
        {
            Key = variant.Key,
            Name = variant.Name,
            Shape = shape,
            Events = timed.Count,
            EventsPerSecond = median.Rate,
            RunRates = [.. runs.Select(r => Math.Round(r.Rate))],
            P50Ms = median.P50,
            P99Ms = median.P99,
            LatencyMethod = variant.LatencyMethod,
            OrderViolations = runs.Max(r => r.Outcome?.OrderViolations ?? 0),
            OrderMethod = median.Outcome?.OrderMethod ?? "",
            TimedOut = timedOut is not null,
            Correct = wrong is null && timedOut is null,
            Problem = timedOut is not null
                ? $"timed out after {TimeBox(variant, workload).TotalSeconds:N0} s with {timedOut.Applied:N0} of {timed.Count:N0} events applied; events/s is over what was applied"
                : wrong is null ? null : $"applied {wrong.Applied:N0}/{timed.End:N0}, lastSeq mismatches {wrong.LastSeqMismatches}, held {wrong.Held}, duplicates {wrong.Dropped.Duplicates}, gaps {wrong.Dropped.Gaps}, alarm mismatches {wrong.AlarmMismatches}, errors {wrong.Errors}",
            AllocatedBytesPerEvent = median.Alloc,
            GcPausePercent = median.GcPause,
            WarmSeconds = variant.ColdStart ? null : median.Warm,
            PeakWorkingSetMiB = median.Peak / (1024.0 * 1024.0),
            AverageBatch = median.Outcome is { Dispatches: > 0 } o ? (double)timed.Count / o.Dispatches : null,
            PacedRate = variant is HttpVariant { Paced: true } ? _pace.RateFor(workload.Shape) : null,
        };
    }

    private async Task<Measured> MeasureOnceAsync(IBenchVariant variant, Workload workload, string step, CancellationToken cancellationToken)
    {
        var timed = variant.ColdStart ? workload.Warm : workload.Measured;
        await using var run = await variant.PrepareAsync(workload, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        double? warmSeconds = null;
        if (!variant.ColdStart)
        {
            // Activation, recovery and first-event work happen here, outside the timing.
            timeout.CancelAfter(settings.RunTimeout);
            var warmClock = Stopwatch.StartNew();
            try
            {
                await run.ExecuteAsync(workload.Warm, new LatencyRecorder(workload.Warm), timeout.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the warm-up ({workload.Warm.Count:N0} first events) did not finish within the {settings.RunTimeout.TotalSeconds:N0} s time box", ex);
            }

            warmSeconds = warmClock.Elapsed.TotalSeconds;
        }

        var recorder = new LatencyRecorder(timed);
        var report = progress.Start(step, timed.Count);
        // Start every run from a clean heap so one variant's garbage is not collected on the next one's time.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        timeout.CancelAfter(TimeBox(variant, workload));

        await using var sampler = new WorkingSetSampler(run.Process);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pausedBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        var execute = run.ExecuteAsync(timed, recorder, timeout.Token);
        while (!execute.IsCompleted)
        {
            await Task.WhenAny(execute, Task.Delay(200, CancellationToken.None));
            report(recorder.Applied);
        }

        var timedOut = false;
        try
        {
            await execute;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            timedOut = true;
        }

        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var paused = GC.GetTotalPauseDuration() - pausedBefore;
        await sampler.DisposeAsync();
        var (p50, p99) = recorder.Percentiles();
        var applied = Math.Min(recorder.Applied, timed.Count);
        // A timed-out run's devices are mid-flight: there is nothing consistent to verify.
        var outcome = timedOut ? null : await run.VerifyAsync(new EventRange(0, timed.End), cancellationToken);
        return new Measured(applied / clock.Elapsed.TotalSeconds, p50, p99, applied > 0 ? (double)allocated / applied : 0,
            paused / clock.Elapsed * 100, warmSeconds, sampler.Peak, outcome, timedOut, applied);
    }

    /// <summary>One extra steady-state run of <paramref name="variant"/> on uniform traffic with the allocation sampler on.</summary>
    private async Task<ProfileResult> ProfileAsync(IBenchVariant variant, CancellationToken cancellationToken)
    {
        var workload = Workload.Generate(TrafficShape.Uniform, settings.Devices, settings.ProfileEvents, settings.Seed);
        using var profiler = new AllocationProfiler();
        var step = $"allocation profile: {variant.Name} [uniform]";
        var timed = variant.ColdStart ? workload.Warm : workload.Measured;
        var report = progress.Start(step, timed.Count);
        await using var run = await variant.PrepareAsync(workload, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RunTimeout * 2);
        if (!variant.ColdStart)
        {
            await run.ExecuteAsync(workload.Warm, new LatencyRecorder(workload.Warm), timeout.Token);
        }

        var recorder = new LatencyRecorder(timed);
        var before = RuntimeCounters.Read();
        profiler.Start();
        var execute = run.ExecuteAsync(timed, recorder, timeout.Token);
        while (!execute.IsCompleted)
        {
            await Task.WhenAny(execute, Task.Delay(200, CancellationToken.None));
            report(recorder.Applied);
        }

        try
        {
            await execute;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Profiled as far as it got.
        }

        profiler.Stop();
        var spent = RuntimeCounters.Read() - before;
        progress.Done(step, "done");
        var exceptions = profiler.Exceptions(5);
        return new ProfileResult(variant.Key, variant.Name, timed.Count,
        [
            spent.Describe(Math.Max(1, recorder.Applied)),
            .. profiler.Top(15).Select(t => $"{t.Share:P1} {t.Type}"),
            $"first-chance exceptions during the profiled run: {(exceptions.Count == 0 ? "none" : string.Join("; ", exceptions.Select(e => $"{e.Count:N0}× {e.Exception}")))}",
        ]);
    }

    private sealed record Measured(double Rate, double P50, double P99, double Alloc, double GcPause, double? Warm, long Peak, RunOutcome? Outcome, bool TimedOut, long Applied);
}
