using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansFleet;
using OrleansFleet.Bench.Storage;
using OrleansFleet.Persistence.AzureTables;

// Readings persisted per second on Azure Tables (Azurite): group commit in entity-group transactions (what the
// telemetry writer does) vs one write per reading (a naive writer), through the same store and pipeline.
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

Directory.CreateDirectory(arguments.OutputDirectory);
BenchReport report = new(DateTimeOffset.UtcNow, Environment.ProcessorCount, results, Math.Round(ratio, 1));
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
    return new BenchResult(name, flushSize, written, readings, Math.Round(clock.Elapsed.TotalSeconds, 3), Math.Round(written / clock.Elapsed.TotalSeconds, 0));
}
