using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace OrleansFleet.Bench.Storage;

/// <summary>The results of one run, as JSON and as a Markdown table.</summary>
/// <param name="MeasuredAt">When the run ended.</param>
/// <param name="ProcessorCount">Cores this process saw.</param>
/// <param name="Results">Every measured mode, in run order.</param>
/// <param name="BatchedToSingleRatio">Best direct batched run over one-by-one.</param>
/// <param name="WriterToSingleRatio">Best run through the writer grain over one-by-one (0 when the writer was not run).</param>
/// <param name="WriterWorkload">How the writer was driven, in words.</param>
internal sealed record class BenchReport(
    DateTimeOffset MeasuredAt,
    int ProcessorCount,
    IReadOnlyList<BenchResult> Results,
    double BatchedToSingleRatio,
    double WriterToSingleRatio,
    string WriterWorkload)
{
    public string ToMarkdown()
    {
        StringBuilder text = new();
        text.AppendLine("# Telemetry history writes on Azure Tables (Azurite)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {MeasuredAt:yyyy-MM-dd HH:mm} UTC on {ProcessorCount} cores (shared), Azurite in memory on loopback, through `AzureTableTelemetryHistoryStore` and its resilience pipeline. `./scripts/bench-storage.sh` reproduces it.");
        text.AppendLine();
        text.AppendLine("| mode | readings per device per flush | readings | failed calls | seconds | readings/s | × one-by-one |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        double single = Results.FirstOrDefault(static r => r.Mode == "one-by-one")?.ReadingsPerSecond ?? 0;
        foreach (BenchResult result in Results)
        {
            string ratio = single > 0 ? (result.ReadingsPerSecond / single).ToString("0.0", CultureInfo.InvariantCulture) : "–";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {result.Mode} | {result.RowsPerTransaction} | {result.ReadingsWritten:N0} of {result.ReadingsPlanned:N0} | {result.FailedCalls:N0} | {result.Seconds:0.00} | {result.ReadingsPerSecond:N0} | {ratio} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Best batched / one-by-one: **{BatchedToSingleRatio:0.0}×**; best through the writer grain / one-by-one: **{WriterToSingleRatio:0.0}×** (target ≥ 10×).");
        text.AppendLine();
        text.AppendLine("Batched: each flush holds readings of 200 devices and is grouped per device into entity-group transactions of at most 100 rows (up to 8 in flight), so the rows per transaction equal the readings per device per flush. The gain grows with them: a writer that flushes only a few readings per device gets little from batching. One-by-one: each reading awaited as its own write.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Writer: {WriterWorkload}");
        return text.ToString();
    }
}

/// <summary>Source-generated JSON for the report.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJson : JsonSerializerContext;
