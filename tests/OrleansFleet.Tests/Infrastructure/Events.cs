namespace OrleansFleet.Tests.Infrastructure;

/// <summary>Terse builders for test events.</summary>
internal static class Events
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static TelemetryEvent Reading(string deviceId, long? seq, double temperature, DateTimeOffset? at = null) =>
        new(deviceId, seq, at ?? T0.AddSeconds(seq ?? 0), new Dictionary<string, double> { ["temperature"] = temperature });

    public static TelemetryEvent Status(string deviceId, long? seq, DeviceStatus status, DateTimeOffset? at = null) =>
        new(deviceId, seq, at ?? T0.AddSeconds(seq ?? 0), TelemetryJson.EmptyMetrics, status);

    public static TelemetryEvent Metrics(string deviceId, long? seq, DateTimeOffset at, params (string Name, double Value)[] metrics) =>
        new(deviceId, seq, at, metrics.ToDictionary(m => m.Name, m => m.Value));

    /// <summary>Every ordering of <paramref name="items"/>.</summary>
    public static IEnumerable<T[]> Permutations<T>(IReadOnlyList<T> items)
    {
        if (items.Count <= 1)
        {
            yield return [.. items];
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var rest = items.Where((_, j) => j != i).ToList();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
