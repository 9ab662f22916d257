using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace OrleansFleet.Bench.Storage;

/// <summary>One measured way of writing.</summary>
internal sealed record class BenchResult(string Mode, int FlushSize, int ReadingsWritten, int ReadingsPlanned, double Seconds, double ReadingsPerSecond);

/// <summary>The results of one run, as JSON and as a Markdown table.</summary>
internal sealed record class BenchReport(DateTimeOffset MeasuredAt, int ProcessorCount, IReadOnlyList<BenchResult> Results, double BatchedToSingleRatio)
{
    public string ToMarkdown()
    {
        StringBuilder text = new();
        text.AppendLine("# Telemetry history writes on Azure Tables (Azurite)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {MeasuredAt:yyyy-MM-dd HH:mm} UTC on {ProcessorCount} cores (shared), Azurite in memory on loopback, through `AzureTableTelemetryHistoryStore` and its resilience pipeline. `./scripts/bench-storage.sh` reproduces it.");
        text.AppendLine();
        text.AppendLine("| mode | readings per device per flush | readings | seconds | readings/s |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (BenchResult result in Results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {result.Mode} | {Math.Max(1, result.FlushSize / 200)} | {result.ReadingsWritten:N0} of {result.ReadingsPlanned:N0} | {result.Seconds:0.00} | {result.ReadingsPerSecond:N0} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Best batched / one-by-one: **{BatchedToSingleRatio:0.0}×** (target ≥ 10×).");
        text.AppendLine();
        text.AppendLine("Batched: each flush holds readings of 200 devices and is grouped per device into entity-group transactions of at most 100 rows (up to 8 in flight), so the rows per transaction equal the readings per device per flush. The gain grows with them: a writer that flushes only a few readings per device gets little from batching. One-by-one: each reading awaited as its own write.");
        return text.ToString();
    }
}

/// <summary>Source-generated JSON for the report.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJson : JsonSerializerContext;
