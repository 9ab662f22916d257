namespace OrleansFleet.Bench;

/// <summary>The issue's targets, each set beside what was measured. Measured and reported, never asserted.</summary>
public static class TargetEvaluator
{
    private const string Met = "met";
    private const string Missed = "missed";
    private const string NotYet = "not yet";

    /// <summary>Evaluates every target the report's rows allow.</summary>
    public static List<TargetResult> Evaluate(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        VariantResult? Row(string key, string shape = "uniform") =>
            report.Results.FirstOrDefault(r => r.Key == key && r.Shape == shape && r.Failure is null);
        var targets = new List<TargetResult>();

        var ordered = report.Results.Where(r => r.Key != "naive-pool" && r.Failure is null).ToList();
        var violators = ordered.Where(r => r.OrderViolations > 0).ToList();
        var naive = report.Results.Where(r => r.Key == "naive-pool").Select(r => $"{r.Shape} {r.OrderViolations:N0}");
        targets.Add(new("Zero order violations, except the naive pool",
            violators.Count == 0
                ? $"0 in all {ordered.Count} ordered rows; naive pool: {string.Join(", ", naive)}"
                : string.Join("; ", violators.Select(v => $"{v.Name} [{v.Shape}]: {v.OrderViolations:N0}")),
            violators.Count == 0 ? Met : Missed));

        var direct = Row("orleans-direct");
        var akka = new[] { Row("akka-item"), Row("akka-batched") }.Where(r => r is not null).MaxBy(r => r!.EventsPerSecond);
        if (direct is not null && akka is not null)
        {
            var ratio = direct.EventsPerSecond / akka.EventsPerSecond;
            targets.Add(new("OrleansFleet direct ≥ 2× Akka.NET (uniform)",
                $"{ratio:F2}× ({direct.EventsPerSecond:N0} vs the faster Akka row, {akka.Name}: {akka.EventsPerSecond:N0} events/s){Shortfall(ratio, 2)}",
                ratio >= 2 ? Met : Missed));
        }

        var sharded = Row("sharded-batched");
        if (direct is not null && sharded is not null)
        {
            var share = direct.EventsPerSecond / sharded.EventsPerSecond;
            targets.Add(new("OrleansFleet direct ≥ 10% of the batched sharded pool (uniform)",
                $"{share:P1} ({direct.EventsPerSecond:N0} vs {sharded.EventsPerSecond:N0} events/s){Shortfall(share, 0.10)}",
                share >= 0.10 ? Met : Missed));
        }

        var http = Row("orleans-http");
        targets.Add(http is null
            ? new("HTTP end to end ≥ 300,000 events/s", "not run", NotYet)
            : new("HTTP end to end ≥ 300,000 events/s", $"{http.EventsPerSecond:N0} events/s (uniform){Shortfall(http.EventsPerSecond, 300_000)}",
                http.EventsPerSecond >= 300_000 ? Met : Missed));
        var redis = Row("orleans-stream-redis");
        targets.Add(redis is null
            ? new("Redis stream path ≥ 200,000 events/s", "not run (needs redis-server; left out by --smoke and by --only filters that exclude it)", NotYet)
            : new("Redis stream path ≥ 200,000 events/s",
                $"{redis.EventsPerSecond:N0} events/s (uniform, publish to applied and persisted){Shortfall(redis.EventsPerSecond, 200_000)}",
                redis.Correct && redis.EventsPerSecond >= 200_000 ? Met : Missed));

        if (direct is not null)
        {
            targets.Add(new("≤ 200 allocated bytes per event on the direct path",
                $"{direct.AllocatedBytesPerEvent:N0} B/event (uniform){(direct.AllocatedBytesPerEvent > 200 ? $", {direct.AllocatedBytesPerEvent / 200:F1}× the target" : "")}",
                direct.AllocatedBytesPerEvent <= 200 ? Met : Missed));
        }

        return targets;
    }

    private static string Shortfall(double measured, double target) =>
        measured >= target ? "" : $"; short by {(1 - (measured / target)):P0}";
}
