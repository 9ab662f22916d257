using System.Diagnostics;
using System.Runtime;
using OrleansFleet.Bench.Measurement;
using OrleansFleet.Bench.Variants;
using OrleansFleet.Simulator;

namespace OrleansFleet.Bench;

/// <summary>
/// Runs every variant on the same pre-generated workload per traffic shape, measures each run (throughput, latency,
/// order, allocation, working set), verifies the devices' final state, and gathers the report. Usable from the console
/// program and from tests alike.
/// </summary>
public sealed class BenchRunner(BenchSettings settings, IBenchProgress progress)
{
    /// <summary>Every variant, in table order.</summary>
    public static IReadOnlyList<IBenchVariant> AllVariants { get; } =
    [
        new SequentialVariant(),
        new NaivePoolVariant(),
        new ShardedPoolVariant(batched: false),
        new ShardedPoolVariant(batched: true),
        new AkkaVariant(batched: false),
        new AkkaVariant(batched: true),
        new OrleansDirectVariant(),
        new OrleansDirectVariant(jsonStorage: true),
        new OrleansStreamVariant(StreamTransport.Memory),
        new OrleansStreamVariant(StreamTransport.Redis),
        new HttpVariant(),
    ];

    /// <summary>The variants this run includes.</summary>
    public IReadOnlyList<IBenchVariant> Variants => [.. AllVariants.Where(v =>
        (v.InProcess || settings.IncludeHttp) && (!v.NeedsServices || settings.IncludeServices) && (settings.Only is null || v.Key.Contains(settings.Only, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Runs everything and returns the report.</summary>
    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
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

        foreach (var shape in settings.Shapes)
        {
            var workload = Workload.Generate(shape, settings.Devices, settings.Events, settings.Seed);
            foreach (var variant in Variants)
            {
                var events = settings.Events;
                var variantWorkload = workload;
                if (settings.EventCaps.TryGetValue(variant.Key, out var cap) && cap < events)
                {
                    // Same seed, fewer events: the same traffic, cut short, with its own per-device expectations.
                    events = cap;
                    variantWorkload = Workload.Generate(shape, settings.Devices, cap, settings.Seed);
                }

                report.Results.Add(await RunVariantAsync(variant, variantWorkload, events, cancellationToken));
            }
        }

        if (settings.Profile && Variants.Any(v => v.Key == "orleans-direct"))
        {
            report.Profile = await ProfileAsync(cancellationToken);
        }

        report.Targets = TargetEvaluator.Evaluate(report);
        report.Seconds = clock.Elapsed.TotalSeconds;
        return report;
    }

    private async Task<VariantResult> RunVariantAsync(IBenchVariant variant, Workload workload, int events, CancellationToken cancellationToken)
    {
        var shape = workload.Shape.ToString().ToLowerInvariant();
        var runs = new List<(double Rate, double P50, double P99, double Alloc, long Peak, RunOutcome Outcome)>();
        var label = $"{variant.Name} [{shape}]";
        for (var run = 1; run <= settings.Runs; run++)
        {
            var step = settings.Runs > 1 ? $"{label} run {run}/{settings.Runs}" : label;
            var report = progress.Start(step, events);
            try
            {
                runs.Add(await MeasureOnceAsync(variant, workload, events, report, cancellationToken));
                progress.Done(step, $"{runs[^1].Rate:N0} events/s");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                progress.Done(step, $"failed: {ex.GetType().Name}: {ex.Message}");
                return new VariantResult { Key = variant.Key, Name = variant.Name, Shape = shape, Events = events, Failure = $"{ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" ") };
            }
        }

        var median = runs.OrderBy(r => r.Rate).ElementAt(runs.Count / 2);
        var wrong = runs.Select(r => r.Outcome).FirstOrDefault(o => !o.Correct(events));
        return new VariantResult
        {
            Key = variant.Key,
            Name = variant.Name,
            Shape = shape,
            Events = events,
            EventsPerSecond = median.Rate,
            RunRates = [.. runs.Select(r => Math.Round(r.Rate))],
            P50Ms = median.P50,
            P99Ms = median.P99,
            OrderViolations = runs.Max(r => r.Outcome.OrderViolations),
            OrderMethod = median.Outcome.OrderMethod,
            Correct = wrong is null,
            Problem = wrong is null ? null : $"applied {wrong.Applied:N0}/{events:N0}, lastSeq mismatches {wrong.LastSeqMismatches}, held {wrong.Held}, duplicates {wrong.Dropped.Duplicates}, gaps {wrong.Dropped.Gaps}, alarm mismatches {wrong.AlarmMismatches}, errors {wrong.Errors}",
            AllocatedBytesPerEvent = median.Alloc,
            PeakWorkingSetMiB = median.Peak / (1024.0 * 1024.0),
            AverageBatch = median.Outcome.Dispatches > 0 ? (double)events / median.Outcome.Dispatches : null,
        };
    }

    private async Task<(double Rate, double P50, double P99, double Alloc, long Peak, RunOutcome Outcome)> MeasureOnceAsync(
        IBenchVariant variant, Workload workload, int events, Action<long> report, CancellationToken cancellationToken)
    {
        await using var run = await variant.PrepareAsync(workload, cancellationToken);
        var recorder = new LatencyRecorder(events);
        // Start every run from a clean heap so one variant's garbage is not collected on the next one's time.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RunTimeout);

        await using var sampler = new WorkingSetSampler(run.Process);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var execute = run.ExecuteAsync(events, recorder, timeout.Token);
        while (!execute.IsCompleted)
        {
            await Task.WhenAny(execute, Task.Delay(200, CancellationToken.None));
            report(recorder.Applied);
        }

        await execute;
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await sampler.DisposeAsync();
        var (p50, p99) = recorder.Percentiles();
        var outcome = await run.VerifyAsync(timeout.Token);
        return (events / clock.Elapsed.TotalSeconds, p50, p99, (double)allocated / events, sampler.Peak, outcome);
    }

    /// <summary>One extra OrleansFleet direct run on uniform traffic with the allocation sampler on.</summary>
    private async Task<List<string>> ProfileAsync(CancellationToken cancellationToken)
    {
        var events = Math.Min(settings.Events, 50_000);
        var workload = Workload.Generate(TrafficShape.Uniform, settings.Devices, events, settings.Seed);
        using var profiler = new AllocationProfiler();
        var step = "allocation profile: OrleansFleet direct [uniform]";
        var report = progress.Start(step, events);
        await using var run = await new OrleansDirectVariant().PrepareAsync(workload, cancellationToken);
        var recorder = new LatencyRecorder(events);
        profiler.Start();
        var execute = run.ExecuteAsync(events, recorder, cancellationToken);
        while (!execute.IsCompleted)
        {
            await Task.WhenAny(execute, Task.Delay(200, CancellationToken.None));
            report(recorder.Applied);
        }

        await execute;
        profiler.Stop();
        progress.Done(step, "done");
        var exceptions = profiler.Exceptions(5);
        return
        [
            .. profiler.Top(15).Select(t => $"{t.Share:P1} {t.Type}"),
            $"first-chance exceptions during the profiled run: {(exceptions.Count == 0 ? "none" : string.Join("; ", exceptions.Select(e => $"{e.Count:N0}× {e.Exception}")))}",
        ];
    }
}
