using System.Globalization;
using System.Text;

namespace OrleansFleet.Bench;

/// <summary>Writes the report as the Markdown the repository keeps in bench/results/latest.md.</summary>
public static class MarkdownReport
{
    /// <summary>Renders <paramref name="report"/>; <paramref name="findings"/> are the engineer's notes on the profile.</summary>
    public static string Render(BenchReport report, string? findings)
    {
        ArgumentNullException.ThrowIfNull(report);
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        var s = report.Settings;
        md.Append(inv, $"# OrleansFleet benchmark ({s.Mode})\n\n");
        md.Append(inv, $"{report.StartedAt:yyyy-MM-dd HH:mm} UTC · {report.Machine} · {s.Devices:N0} devices · at least {s.Events:N0} measured events per steady-state row after a warm-up of one event per device · median of {s.Runs} run(s) · time box {s.RunTimeout.TotalSeconds:N0} s per run · {report.Seconds:F0} s in all\n\n");
        md.Append("Every row applies the same pre-generated events with the project's own `DeviceModel` (seq ordering, alarm rules, alarm lifecycle); ");
        md.Append("the OrleansFleet rows run the real `DeviceGrain` on memory storage. Shapes: uniform over all devices, and Zipf with device 0 at 20% of the traffic. ");
        md.Append("Every 20th device repeats an overheat-then-shutdown cycle; each run's final device state is checked against it.\n\n");
        md.Append("**steady state**: the row first sends every device its first event, untimed (activation, recovery, first-event work), then times the rest on the same warm instance. ");
        md.Append("**cold start**: a fresh instance, every device never seen, first event each, timed until every one is applied. ");
        md.Append("**raw Orleans**: a bench-only grain running the same domain code on the same calls, nothing else; \"× raw\" is each row's events/s over the raw-Orleans in-memory row of the same shape in this run. ");
        md.Append("**Akka.Persistence**: one persistent actor per device, each batch written with `PersistAll` to PostgreSQL 15 (started by the bench on loopback) through Akka.Persistence.Sql. ");
        md.Append($"The grain and persistent-actor rows send identical per-device batches (windows of {Variants.BatchPlan.EventsPerDevice} events per device, one call per device per window, at most one in flight per device); the stream rows gather the same batches into requests of up to {Variants.RequestProducer.RequestSize:N0} events from {Variants.RequestProducer.Senders} senders and append each through the provider's appender as the API does (one append per partition per request).\n\n");
        if (s.EventCaps.Count > 0)
        {
            md.Append(inv, $"Event caps (never below {BenchSettings.MinEventsPerDevice} per device; same traffic, cut short): ");
            md.Append(string.Join(", ", s.EventCaps.Select(c => $"{c.Key} {Math.Max(c.Value, s.Devices * BenchSettings.MinEventsPerDevice):N0}"))).Append(" events per run.\n\n");
        }

        if (report.Results.FirstOrDefault(r => r.PacedRate is not null) is { PacedRate: { } pacedRate } paced)
        {
            md.Append(inv, $"The paced HTTP row offers its rate for about {s.PacedOffer.TotalSeconds:N0} s ({paced.Events:N0} events at {pacedRate:N0} events/s, never below {BenchSettings.MinEventsPerDevice} per device), and its time box is {s.RunTimeout.TotalSeconds:N0} s on top of the time that offer takes.\n\n");
        }

        md.Append("| row | shape | events | events/s | × raw | p50 ms | p99 ms | order violations | all applied, in order, right alarms | alloc B/event | GC pause % | warm-up s | peak WS MiB | avg batch |\n");
        md.Append("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
        foreach (var r in report.Results)
        {
            if (r.Failure is not null)
            {
                md.Append(inv, $"| {r.Name} | {r.Shape} | {r.Events:N0} | failed: {r.Failure} | | | | | | | | | | |\n");
                continue;
            }

            var raw = report.Results.FirstOrDefault(x => x.Key == Raw.RawOrleansVariant.MemoryKey && x.Shape == r.Shape && x.Failure is null);
            var ratio = TargetEvaluator.RatioTo(r, raw) is { } x ? x.ToString("F2", inv) + "×" : "";
            var http = r.Key.StartsWith("orleans-http", StringComparison.Ordinal);
            var rate = r.EventsPerSecond.ToString("N0", inv) + (r.TimedOut ? " (timed out)" : "") + (r.PacedRate is { } p ? $" (offered {p:N0})" : "");
            md.Append(inv, $"| {r.Name} | {r.Shape} | {r.Events:N0} | {rate} | {ratio} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.OrderViolations:N0} | {(r.Correct ? "yes" : "NO: " + r.Problem)} | {Allocated(r)}{(http ? " (client)" : "")} | {r.GcPausePercent:F1}{(http ? " (client)" : "")} | {(r.WarmSeconds is { } w ? w.ToString("F1", inv) : "")} | {r.PeakWorkingSetMiB:N0}{(http ? " (host)" : "")} | {(r.AverageBatch is { } b ? b.ToString("N1", inv) : "")} |\n");
        }

        foreach (var notYet in report.NotYet)
        {
            md.Append(inv, $"| {notYet} | | | not yet | | | | | | | | | | |\n");
        }

        md.Append("\nRuns per row (events/s): ");
        md.Append(string.Join("; ", report.Results.Where(r => r.RunRates.Count > 0).Select(r => $"{r.Key}/{r.Shape} {string.Join(", ", r.RunRates.Select(x => x.ToString("N0", inv)))}")));
        md.Append("\n\n## Targets (from the issue; measured, never asserted in tests)\n\n| target | measured | status |\n|---|---|---|\n");
        foreach (var t in report.Targets)
        {
            md.Append(inv, $"| {t.Target} | {t.Measured} | {t.Status} |\n");
        }

        md.Append("\n## How to read it\n\n");
        md.Append("- **events/s**: measured events applied per second of the timed part (the first event handed over to the last one applied); setup, silo/host/server start, the warm-up and verification are outside it. A row that hits its time box shows the rate over what it applied, marked \"timed out\", and is run once.\n");
        md.Append("- **p50/p99**: from the moment an event is handed to the row (for planned batches: the batch's turn in the plan, so waiting behind the device's previous batch counts) to the moment it is applied: ");
        md.Append(string.Join("; ", report.Results.Where(r => r.LatencyMethod.Length > 0).GroupBy(r => r.LatencyMethod).Select(g => $"{string.Join(", ", g.Select(r => r.Key).Distinct())}: {g.Key}")));
        md.Append(". Unpaced rows run as fast as backpressure lets them, so their latencies include queueing at saturation; the paced HTTP row is the latency figure.\n");
        md.Append("- **order violations**: events handed to a device's domain code with a lower seq than one it already had. Pools and actors count in their apply hook; the direct and raw grain rows in an incoming grain call filter (inside the activation's turn); the stream rows in a grain call filter on the stream delivery; the HTTP rows, which cannot see inside the host, count devices whose read-back lastSeq differs from what was sent or that applied past a gap. The naive pool's violations are repaired by the model's reorder buffer, which is why its final state can still be correct.\n");
        md.Append("- **alloc B/event**: `GC.GetTotalAllocatedBytes` across the timed part, divided by events applied; it includes everything in this process (the silo for the grain rows, Akka and Npgsql for the persistence row; only the load generator for HTTP). **GC pause %**: this process's GC pause time over the timed part.\n");
        md.Append("- **warm-up s**: how long the untimed warm-up (first event of every device) took in the median run.\n");
        md.Append("- **peak WS**: the highest working set sampled every 50 ms during the run (this process includes the workload itself, ~100 bytes per event; HTTP: the host process).\n");
        md.Append("- **avg batch**: events per grain call, actor message, pool chunk, stream request or HTTP request.\n");
        foreach (var profile in report.Profiles)
        {
            md.Append(inv, $"\n## Profile: {profile.Name} (uniform, {profile.Events:N0} events after the warm-up; runtime counters, then GC AllocationTick samples by type)\n\n");
            foreach (var line in profile.Lines)
            {
                md.Append(inv, $"- {line}\n");
            }
        }

        if (!string.IsNullOrWhiteSpace(findings))
        {
            md.Append("\n## Findings\n\n").Append(findings.Trim()).Append('\n');
        }

        return md.ToString();
    }

    // GC.GetTotalAllocatedBytes(precise: true) came out lower after a run than before it once (server GC, a process
    // whose work is mostly I/O waits): a negative difference is not a measurement, so it is not shown as one.
    private static string Allocated(VariantResult r) =>
        r.AllocatedBytesPerEvent < 0 ? "n/a" : r.AllocatedBytesPerEvent.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
