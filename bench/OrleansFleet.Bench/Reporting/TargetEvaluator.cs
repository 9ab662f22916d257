using System.Globalization;
using OrleansFleet.Bench.Raw;

namespace OrleansFleet.Bench;

/// <summary>The issue's targets, each set beside what was measured. Measured and reported, never asserted.</summary>
public static class TargetEvaluator
{
    private const string Met = "met";
    private const string Missed = "missed";
    private const string NotRun = "not run";

    /// <summary>Evaluates every target the report's rows allow.</summary>
    public static List<TargetResult> Evaluate(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        VariantResult? Row(string key) => report.Results.FirstOrDefault(r => r.Key == key && r.Shape == "uniform" && r.Failure is null);
        var targets = new List<TargetResult>();
        var direct = Row("orleans-direct");
        var raw = Row(RawOrleansVariant.MemoryKey);

        targets.Add(AtLeast("OrleansFleet direct, steady state, uniform ≥ 1,000,000 events/s", direct, 1_000_000));
        targets.Add(direct is null || raw is null
            ? new("OrleansFleet direct ≥ 0.7× raw Orleans in memory (same run, uniform)", "a row was not run", NotRun)
            : Ratio("OrleansFleet direct ≥ 0.7× raw Orleans in memory (same run, uniform)", direct, raw, 0.7));

        var http = Row("orleans-http");
        targets.Add(AtLeast("HTTP end to end, first request to last event applied, uniform ≥ 300,000 events/s", http, 300_000));
        var paced = Row("orleans-http-paced");
        targets.Add(paced is null
            ? new("HTTP p99 ingest-to-apply ≤ 1 s at half the target rate (or half the measured max, if lower)", "not run", NotRun)
            : new("HTTP p99 ingest-to-apply ≤ 1 s at half the target rate (or half the measured max, if lower)",
                $"p99 {paced.P99Ms:N0} ms, p50 {paced.P50Ms:N0} ms at {paced.PacedRate:N0} events/s offered ({paced.EventsPerSecond:N0} achieved){(paced.P99Ms > 1_000 ? $"; {paced.P99Ms / 1_000:F1}× the bound" : "")}{TimedOut(paced)}",
                paced.P99Ms <= 1_000 && !paced.TimedOut ? Met : Missed));

        var redis = Row("orleans-stream-redis");
        targets.Add(AtLeast("Redis Streams end to end, durable, uniform ≥ 200,000 events/s", redis, 200_000));
        var akka = Row("akka-persistence");
        targets.Add(redis is null || akka is null
            ? new("Redis Streams ≥ 2× the Akka.Persistence.Sql row (uniform)", "a row was not run (Redis and PostgreSQL rows need --quick or the full run)", NotRun)
            : Ratio("Redis Streams ≥ 2× the Akka.Persistence.Sql row (uniform)", redis, akka, 2));

        var cold = Row("orleans-direct-cold");
        if (cold is null)
        {
            targets.Add(new("Cold start: 10,000 new devices applied within 2 s", "not run", NotRun));
        }
        else
        {
            var seconds = cold.Events / cold.EventsPerSecond;
            targets.Add(new("Cold start: 10,000 new devices applied within 2 s",
                $"{cold.Events:N0} devices in {seconds:F2} s{(cold.Events != 10_000 ? $" (this run has {cold.Events:N0} devices, not 10,000: not comparable)" : "")}{(seconds > 2 ? $"; {seconds / 2:F1}× the bound" : "")}{TimedOut(cold)}",
                cold.Events == 10_000 && seconds <= 2 && !cold.TimedOut ? Met : Missed));
        }

        targets.Add(direct is null
            ? new("≤ 300 bytes allocated per event on the direct path", "not run", NotRun)
            : new("≤ 300 bytes allocated per event on the direct path",
                $"{direct.AllocatedBytesPerEvent:N0} B/event (uniform, steady state){(direct.AllocatedBytesPerEvent > 300 ? $", {direct.AllocatedBytesPerEvent / 300:F1}× the bound" : "")}",
                direct.AllocatedBytesPerEvent <= 300 ? Met : Missed));

        var ordered = report.Results.Where(r => r.Key != "naive-pool" && r.Failure is null && !r.TimedOut).ToList();
        var violators = ordered.Where(r => r.OrderViolations > 0).ToList();
        var naive = report.Results.Where(r => r.Key == "naive-pool").Select(r => $"{r.Shape} {r.OrderViolations:N0}");
        targets.Add(new("0 order violations in every ordered row",
            violators.Count == 0
                ? $"0 in all {ordered.Count} ordered rows that finished; naive pool (unordered by design): {string.Join(", ", naive)}"
                : string.Join("; ", violators.Select(v => $"{v.Name} [{v.Shape}]: {v.OrderViolations:N0}")),
            violators.Count == 0 ? Met : Missed));
        return targets;
    }

    /// <summary>The row's events/s as a multiple of <paramref name="baseline"/>'s, or null when either is missing.</summary>
    public static double? RatioTo(VariantResult row, VariantResult? baseline)
    {
        ArgumentNullException.ThrowIfNull(row);
        return baseline is { EventsPerSecond: > 0 } && row.Failure is null ? row.EventsPerSecond / baseline.EventsPerSecond : null;
    }

    private static TargetResult AtLeast(string target, VariantResult? row, double bound) => row is null
        ? new(target, "not run", NotRun)
        : new(target, $"{row.EventsPerSecond:N0} events/s{Shortfall(row.EventsPerSecond, bound)}{TimedOut(row)}",
            row.EventsPerSecond >= bound && !row.TimedOut && row.Correct ? Met : Missed);

    private static TargetResult Ratio(string target, VariantResult row, VariantResult baseline, double bound)
    {
        var ratio = row.EventsPerSecond / baseline.EventsPerSecond;
        return new(target,
            $"{ratio.ToString("F2", CultureInfo.InvariantCulture)}× ({row.EventsPerSecond:N0} vs {baseline.EventsPerSecond:N0} events/s){Shortfall(ratio, bound)}{TimedOut(row)}{TimedOut(baseline)}",
            ratio >= bound && !row.TimedOut ? Met : Missed);
    }

    private static string TimedOut(VariantResult row) => row.TimedOut ? $"; {row.Name} hit its time box (rate over what it applied)" : "";

    private static string Shortfall(double measured, double target) =>
        measured >= target ? "" : $"; short by {1 - (measured / target):P0} ({target / Math.Max(measured, double.Epsilon):F2}× to go)";
}
