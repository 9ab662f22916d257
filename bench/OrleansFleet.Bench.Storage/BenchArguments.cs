using System.Globalization;

namespace OrleansFleet.Bench.Storage;

/// <summary>
/// Command line: <c>--tables CONNECTION_STRING --batched N --single N --flush N[,N...] --max-seconds S --out DIR</c>,
/// and for the writer grain <c>--writer N --devices N --per-call N --writer-settings BATCH/DELAY_MS/CONCURRENCY/QUEUE[,...]</c>
/// (<c>--writer 0</c> skips it).
/// </summary>
internal sealed record class BenchArguments(
    string ConnectionString,
    int BatchedReadings,
    int SingleReadings,
    IReadOnlyList<int> FlushSizes,
    int MaxSeconds,
    string OutputDirectory,
    int WriterReadings,
    int WriterDevices,
    int ReadingsPerCall,
    IReadOnlyList<WriterSettings> WriterRuns)
{
    public static BenchArguments Parse(string[] args)
    {
        Dictionary<string, string> values = new(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        string connection = values.GetValueOrDefault("--tables") ?? Environment.GetEnvironmentVariable("FLEET_TEST_TABLES")
            ?? throw new ArgumentException("No Azure Tables endpoint: pass --tables CONNECTION_STRING or set FLEET_TEST_TABLES (./scripts/bench-storage.sh does).");
        return new BenchArguments(
            connection,
            Int(values, "--batched", 20_000),
            Int(values, "--single", 2_000),
            [.. (values.GetValueOrDefault("--flush") ?? "1000,5000,20000").Split(',').Select(static f => int.Parse(f, CultureInfo.InvariantCulture))],
            Int(values, "--max-seconds", 60),
            values.GetValueOrDefault("--out") ?? Path.Combine("bench", "results"),
            Int(values, "--writer", 20_000),
            Int(values, "--devices", 2_000),
            Int(values, "--per-call", 2),
            // The product's defaults, then the store's limiter sized for 2,000 devices' calls waiting at once: with the
            // defaults a wave of small calls overflows the 1,024-transaction queue and most calls fail as overload.
            [.. (values.GetValueOrDefault("--writer-settings") ?? "500/50/8/1024,500/50/64/8192").Split(',').Select(ParseSettings)]);
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback) =>
        values.TryGetValue(name, out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static WriterSettings ParseSettings(string text)
    {
        int[] parts = [.. text.Split('/').Select(static p => int.Parse(p, CultureInfo.InvariantCulture))];
        return parts.Length == 4
            ? new WriterSettings(parts[0], TimeSpan.FromMilliseconds(parts[1]), parts[2], parts[3])
            : throw new ArgumentException($"--writer-settings wants MAXBATCH/MAXDELAY_MS/MAXCONCURRENTTRANSACTIONS/MAXQUEUEDTRANSACTIONS, got '{text}'.");
    }
}
