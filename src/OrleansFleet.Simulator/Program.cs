using System.CommandLine;
using OrleansFleet.Simulator;
using Spectre.Console;

var url = new Option<Uri>("--url") { Description = "Base URL of the OrleansFleet API, e.g. https://fleet.example.azurecontainerapps.io/", Required = true };
var devices = new Option<int>("--devices") { Description = "Devices to simulate", DefaultValueFactory = _ => 1_000 };
var shape = new Option<TrafficShape>("--shape") { Description = "Traffic shape: Uniform, or Zipf (one device at 20% of traffic)", DefaultValueFactory = _ => TrafficShape.Uniform };
var rate = new Option<double>("--rate") { Description = "Events per second; 0 = as fast as the API accepts", DefaultValueFactory = _ => 0 };
var duration = new Option<TimeSpan>("--duration") { Description = "How long to send (hh:mm:ss)", DefaultValueFactory = _ => TimeSpan.FromSeconds(30) };
var maxEvents = new Option<long>("--max-events") { Description = "Upper bound on events sent", DefaultValueFactory = _ => 10_000_000 };
var scenarios = new Option<Scenario[]>("--scenario") { Description = "Scenarios on every 20th device: OverheatShutdown, Flapping, Silent (repeat the option for several)", AllowMultipleArgumentsPerToken = true };
var senders = new Option<int>("--senders") { Description = "Concurrent HTTP senders (devices are partitioned over them)", DefaultValueFactory = _ => 8 };
var batch = new Option<int>("--batch") { Description = "Events per request (at most 5,000)", DefaultValueFactory = _ => 1_000 };
var prefix = new Option<string>("--prefix") { Description = "Device id prefix; the default is unique per run, so old state never collides with new seqs", DefaultValueFactory = _ => $"sim{DateTime.UtcNow:MMddHHmmss}" };
var offlineWait = new Option<TimeSpan>("--offline-wait") { Description = "How long to wait for silent devices to go offline (0 = skip; the default offline window is 5 minutes)", DefaultValueFactory = _ => TimeSpan.Zero };
var seed = new Option<int>("--seed") { Description = "Random seed of the traffic shape", DefaultValueFactory = _ => 42 };

var root = new RootCommand("OrleansFleet load generator and scenario runner: drives an OrleansFleet API, then reads it back and checks order, loss and alarms.")
{
    url, devices, shape, rate, duration, maxEvents, scenarios, senders, batch, prefix, offlineWait, seed,
};

root.SetAction(async (parse, cancellationToken) =>
{
    var plan = new FleetPlan(parse.GetRequiredValue(prefix), parse.GetValue(devices), (parse.GetValue(scenarios) ?? []).Aggregate(Scenario.None, (a, b) => a | b));
    var source = new TrafficSource(plan, parse.GetValue(shape), parse.GetValue(seed), DateTimeOffset.UtcNow.AddHours(-1));
    var client = FleetApiClient.Create(parse.GetRequiredValue(url), parse.GetValue(senders), TimeSpan.FromSeconds(60));
    var options = new LoadGeneratorOptions { Senders = parse.GetValue(senders), BatchSize = Math.Clamp(parse.GetValue(batch), 1, 5_000) };
    var sendFor = parse.GetValue(duration);

    if (!await client.WaitReadyAsync(TimeSpan.FromSeconds(30), cancellationToken))
    {
        AnsiConsole.MarkupLine($"[red]{Markup.Escape(client.Http.BaseAddress!.ToString())} is not ready (GET /health/ready).[/]");
        return 2;
    }

    var generator = new LoadGenerator(client, options, onAccepted: null, cancellationToken);
    long produced = 0;
    var started = DateTime.UtcNow;
    await AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
        .StartAsync(async ctx =>
        {
            var task = ctx.AddTask("sending", maxValue: sendFor.TotalSeconds);
            var driving = TrafficDriver.RunAsync(source, generator, parse.GetValue(rate), sendFor, parse.GetValue(maxEvents), cancellationToken);
            while (!driving.IsCompleted)
            {
                await Task.WhenAny(driving, Task.Delay(250, cancellationToken));
                task.Value = (DateTime.UtcNow - started).TotalSeconds;
                task.Description = $"sent {generator.Accepted:N0} accepted";
            }

            produced = await driving;
            task.Description = "draining";
            await generator.CompleteAsync();
            task.Value = task.MaxValue;
            task.Description = $"{generator.Accepted:N0} accepted";
        });

    var seconds = (DateTime.UtcNow - started).TotalSeconds;
    AnsiConsole.MarkupLine($"Sent {produced:N0} events in {seconds:F1} s: [bold]{generator.Accepted / seconds:N0} events/s[/] accepted, {generator.Rejected:N0} refused{(generator.LastError is { } e ? $" (last: {Markup.Escape(e)})" : "")}.");
    AnsiConsole.MarkupLine("Reading every device back…");
    var report = await new ReadBackVerifier(client).VerifyAsync(source, parse.GetValue(offlineWait), cancellationToken);

    var table = new Table().AddColumns("check", "result");
    table.AddRow("devices read back", $"{report.Devices:N0} ({report.UnknownDevices} unknown)");
    table.AddRow("order violations (lastSeq ≠ sent, or gaps)", report.OrderViolations.ToString("N0"));
    table.AddRow("missing events (sent − applied)", report.MissingEvents.ToString("N0"));
    table.AddRow("duplicates dropped", report.Duplicates.ToString("N0"));
    table.AddRow("unexpected alarms (devices)", report.UnexpectedAlarms.ToString("N0"));
    table.AddRow("silent devices offline", report.SilentOffline.Checked == 0 ? "not checked (--offline-wait)" : $"{report.SilentOffline.Offline}/{report.SilentOffline.Checked}");
    AnsiConsole.Write(table);
    foreach (var example in report.Examples)
    {
        AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(example)}[/]");
    }

    AnsiConsole.MarkupLine(report.Passed ? "[green]PASS[/]" : "[red]FAIL[/]");
    return report.Passed ? 0 : 1;
});

return await root.Parse(args).InvokeAsync();
