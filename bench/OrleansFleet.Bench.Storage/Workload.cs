namespace OrleansFleet.Bench.Storage;

/// <summary>Readings of 200 devices with four metrics each, seq per device, interleaved as they would arrive.</summary>
internal static class Workload
{
    private const int Devices = 200;
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TelemetryEvent[] Create(string run, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Reading($"{run}-{i % Devices:D3}", (i / Devices) + 1))];

    public static TelemetryEvent Reading(string device, long seq) =>
        new(device, seq, s_start.AddSeconds(seq), new Dictionary<string, double>
        {
            ["temp.c"] = 20 + (seq % 7),
            ["humidity"] = 40 + (seq % 11),
            ["fan:rpm"] = 1200 + seq,
            ["power-w"] = 3.5,
        });
}
