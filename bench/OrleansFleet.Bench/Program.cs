using System.Text.Json;
using OrleansFleet.Bench;
using Spectre.Console;

// dotnet run -c Release --project bench/OrleansFleet.Bench -- [--quick | --smoke] [--only KEY,KEY] [--no-http] [--diagnostics]
//     [--profile KEY,KEY | --no-profile] [--profile-events N] [--events N] [--time-box SECONDS] [--render] [--out DIR]
//   or: -- --read-model   (1,000,000 devices into the fleet read model's shards; see bench/results/read-model.md)
//   or: -- --placement [--devices N] [--watch SECONDS]   (device-grain spread on two silos, with and without the
//       activation rebalancer; writes bench/results/placement.md)
var settings = args.Contains("--smoke") ? BenchSettings.Smoke : args.Contains("--quick") ? BenchSettings.Quick : BenchSettings.Full;
settings = settings with
{
    Only = Value("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    IncludeHttp = settings.IncludeHttp && !args.Contains("--no-http"),
    // --diagnostics adds the rows a full run leaves out by default (JSON storage, no checkpoints).
    Exclude = args.Contains("--diagnostics") ? [] : settings.Exclude,
    RunTimeout = Value("--time-box") is { } box ? TimeSpan.FromSeconds(double.Parse(box, System.Globalization.CultureInfo.InvariantCulture)) : settings.RunTimeout,
    ProfileKeys = args.Contains("--no-profile") ? [] : Value("--profile")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? settings.ProfileKeys,
    // A profile as long as a measured run (--profile-events 2000000) also samples what happens once per interval
    // (checkpoints), which the default short profile may not reach.
    ProfileEvents = Value("--profile-events") is { } profiled ? int.Parse(profiled, System.Globalization.CultureInfo.InvariantCulture) : settings.ProfileEvents,
    // A longer steady state (--events 10000000: 1,000 per device) runs past the memory history's filling up.
    Events = Value("--events") is { } events ? int.Parse(events, System.Globalization.CultureInfo.InvariantCulture) : settings.Events,
};
var output = Value("--out") ?? Path.Combine(RepositoryRoot(), "bench", "results");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (args.Contains("--read-model"))
{
    Console.WriteLine(await OrleansFleet.Bench.Variants.ReadModelScale.RunAsync(1_000_000, 1_000, cancel.Token));
    return 0;
}

if (args.Contains("--placement"))
{
    var spread = await OrleansFleet.Bench.Variants.PlacementSpread.RunAsync(
        int.Parse(Value("--devices") ?? "2000", System.Globalization.CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(Value("--watch") ?? "60", System.Globalization.CultureInfo.InvariantCulture)),
        cancel.Token);
    Console.WriteLine(spread);
    await File.WriteAllTextAsync(Path.Combine(output, "placement-run.md"), spread);
    return 0;
}

BenchReport report;
if (args.Contains("--render"))
{
    // Re-renders latest.md and the chart from latest.json, e.g. after findings.md was edited.
    report = JsonSerializer.Deserialize<BenchReport>(await File.ReadAllTextAsync(Path.Combine(output, "latest.json")))!;
}
else if (AnsiConsole.Profile.Capabilities.Interactive)
{
    report = await AnsiConsole.Progress()
        .AutoClear(false)
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .StartAsync(ctx => new BenchRunner(settings, new SpectreProgress(ctx)).RunAsync(cancel.Token));
}
else
{
    report = await new BenchRunner(settings, new SpectreProgress(null)).RunAsync(cancel.Token);
}

Directory.CreateDirectory(output);
// Findings are written by hand after reading the profile; a rerun keeps them if the file has them.
var findingsFile = Path.Combine(output, "findings.md");
var findings = File.Exists(findingsFile) ? await File.ReadAllTextAsync(findingsFile) : null;
await File.WriteAllTextAsync(Path.Combine(output, "latest.md"), MarkdownReport.Render(report, findings));
if (!args.Contains("--render"))
{
    await File.WriteAllTextAsync(Path.Combine(output, "latest.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
}

await File.WriteAllTextAsync(Path.Combine(output, "latest.svg"), SvgChart.Render(report));
AnsiConsole.WriteLine(File.ReadAllText(Path.Combine(output, "latest.md")));
AnsiConsole.MarkupLine($"Wrote {Markup.Escape(output)}/latest.md, latest.json, latest.svg");
// A row that hit its time box is a measurement (reported as such), not a broken bench.
return report.Results.Any(r => r.Failure is not null || (!r.Correct && !r.TimedOut && r.Key != "naive-pool")) ? 1 : 0;

string? Value(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "OrleansFleet.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
