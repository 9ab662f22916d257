using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansFleet;
using OrleansFleet.Bench.Storage;
using OrleansFleet.Persistence.AzureTables;

// Readings persisted per second on Azure Tables (Azurite): group commit in entity-group transactions (what the
// telemetry writer does) vs one write per reading (a naive writer), through the same store and pipeline; then the
// writer grain itself, in a silo, under many concurrent device-like callers.
BenchArguments arguments = BenchArguments.Parse(args);
ServiceCollection services = new();
services.AddAzureTableTelemetryHistoryStore(options =>
{
    options.ConnectionString = arguments.ConnectionString;
    options.TableName = "Bench" + Guid.NewGuid().ToString("N")[..12];
});
await using ServiceProvider provider = services.BuildServiceProvider();
ITelemetryHistoryStore store = provider.GetRequiredService<ITelemetryHistoryStore>();

// Creates the table and warms the connection pool so neither run pays for it.
await store.WriteAsync([Workload.Reading("warmup", 1)], CancellationToken.None);

// Group commit pays off by rows per partition per transaction, so the batched run is repeated for flushes holding
// 5, 25 and 100 readings per device (200 devices); each run writes fresh devices.
List<BenchResult> results = [];
foreach (int flushSize in arguments.FlushSizes)
{
    results.Add(await MeasureAsync($"batched, flush {flushSize:N0}", arguments.BatchedReadings, flushSize));
}

BenchResult single = await MeasureAsync("one-by-one", arguments.SingleReadings, 1);
results.Add(single);
double ratio = results.Take(arguments.FlushSizes.Count).Max(r => r.ReadingsPerSecond) / single.ReadingsPerSecond;

List<BenchResult> writerResults = [];
if (arguments.WriterReadings > 0)
{
    foreach (WriterSettings settings in arguments.WriterRuns)
    {
        writerResults.Add(await MeasureWriterAsync(settings));
    }
}

results.AddRange(writerResults);
double writerRatio = writerResults.Count == 0 ? 0 : writerResults.Max(r => r.ReadingsPerSecond) / single.ReadingsPerSecond;
string writerWorkload = arguments.WriterReadings > 0
    ? $"`TelemetryWriterGrain` in an in-process silo (memory grain storage, the store above on a fresh table), called by {arguments.WriterDevices:N0} simulated devices at once, each sending its {arguments.WriterReadings / arguments.WriterDevices} readings {arguments.ReadingsPerCall} per call with one call in flight, as device grains do; a completed call means its readings are durable. The row names the writer's `MaxBatch`/`MaxDelay` and the store's `MaxConcurrentTransactions`/`MaxQueuedTransactions`. Readings per device per flush cannot exceed the readings per call, so each transaction holds at most {arguments.ReadingsPerCall} rows: the writer saves round trips only by running many small transactions at once, and every device's call waiting at once means about one transaction per device queued in the store's limiter."
    : "not run.";

Directory.CreateDirectory(arguments.OutputDirectory);
BenchReport report = new(DateTimeOffset.UtcNow, Environment.ProcessorCount, results, Math.Round(ratio, 1), Math.Round(writerRatio, 1), writerWorkload);
await File.WriteAllTextAsync(Path.Combine(arguments.OutputDirectory, "storage.json"), JsonSerializer.Serialize(report, BenchJson.Default.BenchReport));
await File.WriteAllTextAsync(Path.Combine(arguments.OutputDirectory, "storage.md"), report.ToMarkdown());
Console.WriteLine(report.ToMarkdown());
return 0;

async Task<BenchResult> MeasureAsync(string name, int readings, int flushSize)
{
    TelemetryEvent[] workload = Workload.Create($"r{results.Count}", readings);
    TimeSpan budget = TimeSpan.FromSeconds(arguments.MaxSeconds);
    Stopwatch clock = Stopwatch.StartNew();
    int written = 0;
    foreach (TelemetryEvent[] flush in workload.Chunk(flushSize))
    {
        if (clock.Elapsed > budget)
        {
            break;
        }

        await store.WriteAsync(flush, CancellationToken.None);
        written += flush.Length;
    }

    clock.Stop();
    return new BenchResult(name, flushSize, Math.Max(1, flushSize / 200), written, readings, Math.Round(clock.Elapsed.TotalSeconds, 3), Math.Round(written / clock.Elapsed.TotalSeconds, 0));
}

async Task<BenchResult> MeasureWriterAsync(WriterSettings settings)
{
    // A silo per setting: the store's limiter and the writer's options are fixed when the silo starts.
    await using WriterSilo silo = await WriterSilo.StartAsync(arguments.ConnectionString, settings, CancellationToken.None);
    ITelemetryWriterGrain writer = silo.Grains.GetGrain<ITelemetryWriterGrain>(0);

    // Activates the writer, creates its table and warms the connection pool outside the measurement.
    await writer.WriteAsync(new TelemetryReadings([Workload.Reading("warmup", 1)]));

    WriterLoadResult load = await WriterLoad.RunAsync(
        writer, $"w{results.Count + writerResults.Count}", arguments.WriterDevices, arguments.WriterReadings, arguments.ReadingsPerCall, TimeSpan.FromSeconds(arguments.MaxSeconds));
    double seconds = load.Elapsed.TotalSeconds;
    if (load.FirstFailure is not null)
    {
        Console.Error.WriteLine($"writer ({settings}): {load.FailedCalls} calls failed, the first with {load.FirstFailure}");
    }

    return new BenchResult(
        $"writer grain, {arguments.WriterDevices:N0} devices ({settings})",
        settings.MaxBatch,
        arguments.ReadingsPerCall,
        load.Written,
        load.Planned,
        Math.Round(seconds, 3),
        Math.Round(load.Written / seconds, 0),
        load.FailedCalls);
}
