using System.Globalization;

namespace OrleansFleet.Bench.Storage;

/// <summary>Command line: <c>--tables CONNECTION_STRING --batched N --single N --flush N[,N...] --max-seconds S --out DIR</c>.</summary>
internal sealed record class BenchArguments(string ConnectionString, int BatchedReadings, int SingleReadings, IReadOnlyList<int> FlushSizes, int MaxSeconds, string OutputDirectory)
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
            values.GetValueOrDefault("--out") ?? Path.Combine("bench", "results"));
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback) =>
        values.TryGetValue(name, out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
