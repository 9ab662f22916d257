namespace OrleansFleet.Bench;

/// <summary>Everything one benchmark run found: the machine, the settings, the table, the targets and the findings.</summary>
public sealed record BenchReport
{
    /// <summary>When it ran (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Cores, OS, runtime, GC mode.</summary>
    public required string Machine { get; init; }

    /// <summary>The sizes it ran with.</summary>
    public required BenchSettings Settings { get; init; }

    /// <summary>One row per variant and shape.</summary>
    public List<VariantResult> Results { get; init; } = [];

    /// <summary>Variants the issue lists that are not built yet.</summary>
    public List<string> NotYet { get; init; } = [];

    /// <summary>The targets, each with its measured value.</summary>
    public List<TargetResult> Targets { get; set; } = [];

    /// <summary>What the allocation profiles showed, one per profiled row, top types first.</summary>
    public List<ProfileResult> Profiles { get; init; } = [];

    /// <summary>Total wall time, seconds.</summary>
    public double Seconds { get; set; }
}

/// <summary>A target from the issue with what was measured.</summary>
/// <param name="Target">The target as the issue states it.</param>
/// <param name="Measured">The measured value, in words and numbers.</param>
/// <param name="Status">met, missed, or not yet.</param>
public sealed record TargetResult(string Target, string Measured, string Status);
