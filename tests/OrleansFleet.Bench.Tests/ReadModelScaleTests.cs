using OrleansFleet.Bench.Variants;

namespace OrleansFleet.Bench.Tests;

/// <summary>The read-model measurement in a tiny size, so it keeps running and keeps measuring what it claims (no timings asserted).</summary>
public sealed class ReadModelScaleTests
{
    [Fact]
    public async Task Every_device_lands_and_a_single_change_is_a_one_row_write()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var report = await ReadModelScale.RunAsync(devices: 3_000, changes: 50, timeout.Token);

        Assert.Contains("## Fleet read model, 3,000 devices", report, StringComparison.Ordinal);
        Assert.Contains("| one change: rows per shard write (mean / max) | 1.00 / 1 |", report, StringComparison.Ordinal);
    }
}
