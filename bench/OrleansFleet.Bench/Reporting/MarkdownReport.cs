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
        md.Append(inv, $"{report.StartedAt:yyyy-MM-dd HH:mm} UTC · {report.Machine} · {s.Devices:N0} devices · {s.Events:N0} events per variant run · median of {s.Runs} run(s) · {report.Seconds:F0} s in all\n\n");
        md.Append("Every variant applies the same pre-generated events with the project's own `DeviceModel` (seq ordering, alarm rules, alarm lifecycle); ");
        md.Append("the OrleansFleet rows run the real `DeviceGrain` on memory storage. Shapes: uniform over all devices, and Zipf with device 0 at 20% of the traffic. ");
        md.Append("Every 20th device repeats an overheat-then-shutdown cycle; each run's final device state is checked against it.\n\n");
        if (s.EventCaps.Count > 0)
        {
            md.Append("Event caps (too slow for the full count within the time budget; same traffic, cut short): ");
            md.Append(string.Join(", ", s.EventCaps.Select(c => $"{c.Key} {c.Value:N0}"))).Append(" events per run.\n\n");
        }

        md.Append("| variant | shape | events | events/s | p50 ms | p99 ms | order violations | all applied, in order, right alarms | alloc B/event | peak WS MiB | avg batch |\n");
        md.Append("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
        foreach (var r in report.Results)
        {
            if (r.Failure is not null)
            {
                md.Append(inv, $"| {r.Name} | {r.Shape} | {r.Events:N0} | failed: {r.Failure} | | | | | | | |\n");
                continue;
            }

            md.Append(inv, $"| {r.Name} | {r.Shape} | {r.Events:N0} | {r.EventsPerSecond:N0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.OrderViolations:N0} | {(r.Correct ? "yes" : "NO: " + r.Problem)} | {Allocated(r)}{(r.Key == "orleans-http" ? " (client)" : "")} | {r.PeakWorkingSetMiB:N0}{(r.Key == "orleans-http" ? " (host)" : "")} | {(r.AverageBatch is { } b ? b.ToString("N1", inv) : "")} |\n");
        }

        foreach (var notYet in report.NotYet)
        {
            md.Append(inv, $"| {notYet} | | | not yet | | | | | | | |\n");
        }

        md.Append("\nRuns per row (events/s): ");
        md.Append(string.Join("; ", report.Results.Where(r => r.RunRates.Count > 0).Select(r => $"{r.Key}/{r.Shape} {string.Join(", ", r.RunRates.Select(x => x.ToString("N0", inv)))}")));
        md.Append("\n\n## Targets (measured, never asserted in tests)\n\n| target | measured | status |\n|---|---|---|\n");
        foreach (var t in report.Targets)
        {
            md.Append(inv, $"| {t.Target} | {t.Measured} | {t.Status} |\n");
        }

        md.Append("\n## How to read it\n\n");
        md.Append("- **events/s**: events applied per second of the timed part (ingest of the first event to the apply of the last); setup, silo/host start and verification are outside it.\n");
        md.Append("- **p50/p99**: from the moment an event is handed to the variant to the moment its device applied it (for the direct grain rows: the grain call returned, state persisted; for the stream rows: the grain's stream delivery returned, state persisted, so publish, transport and pulling agent are inside; for HTTP: the 202). The producer runs as fast as backpressure lets it, so these include queueing at saturation.\n");
        md.Append("- **order violations**: events handed to a device's domain code with a lower seq than one it already had. Pools and actors count in their apply hook; the direct grain row counts in an incoming grain call filter (it runs inside the activation's turn); the stream rows count in a grain call filter on the stream consumer extension's delivery call (the implicit subscription calls `ApplyAsync` as a plain method inside it, so no filter sees `ApplyAsync` itself); the HTTP row cannot see inside the host and counts devices whose read-back lastSeq differs from what was sent or that applied past a gap. The naive pool's violations are repaired by the model's reorder buffer, which is why its final state can still be correct.\n");
        md.Append("- **alloc B/event**: `GC.GetTotalAllocatedBytes` across the timed part, divided by events; it includes everything in this process (the silo for the grain rows; only the load generator for HTTP).\n");
        md.Append("- **peak WS**: the highest working set sampled every 50 ms during the run (this process includes the workload itself, ~100 bytes per event; HTTP: the host process).\n");
        md.Append("- **avg batch**: events per grain call, actor message, pool chunk, stream item (one `OnNextAsync` per device, as the API's ingestor publishes) or HTTP request.\n");
        if (report.Profile.Count > 0)
        {
            md.Append("\n## Allocation profile (OrleansFleet direct, uniform; GC AllocationTick samples by type)\n\n");
            foreach (var line in report.Profile)
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
