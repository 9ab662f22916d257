namespace OrleansFleet.Bench;

/// <summary>One variant on one traffic shape: the median run by throughput, and what all runs agreed on.</summary>
public sealed record VariantResult
{
    /// <summary>The variant's key.</summary>
    public required string Key { get; init; }

    /// <summary>The variant's name.</summary>
    public required string Name { get; init; }

    /// <summary>uniform or zipf.</summary>
    public required string Shape { get; init; }

    /// <summary>Events per run.</summary>
    public int Events { get; init; }

    /// <summary>Events per second of the median run.</summary>
    public double EventsPerSecond { get; init; }

    /// <summary>Events per second of every run.</summary>
    public IReadOnlyList<double> RunRates { get; init; } = [];

    /// <summary>Median ingest-to-apply latency of the median run, ms.</summary>
    public double P50Ms { get; init; }

    /// <summary>99th percentile ingest-to-apply latency of the median run, ms.</summary>
    public double P99Ms { get; init; }

    /// <summary>Where the row's latency ends.</summary>
    public string LatencyMethod { get; init; } = "";

    /// <summary>Order violations, the most any run had.</summary>
    public long OrderViolations { get; init; }

    /// <summary>How order violations were counted.</summary>
    public string OrderMethod { get; init; } = "";

    /// <summary>Whether every run applied every event exactly once, in order, with the right alarms.</summary>
    public bool Correct { get; init; }

    /// <summary>What was wrong, when not correct.</summary>
    public string? Problem { get; init; }

    /// <summary>Bytes allocated in this process per event (for HTTP: the load generator's side only).</summary>
    public double AllocatedBytesPerEvent { get; init; }

    /// <summary>Share of the timed part this process spent paused for GC, percent (median run).</summary>
    public double GcPausePercent { get; init; }

    /// <summary>How long the untimed warm-up of the median run took, seconds (null for cold-start and unwarmed rows).</summary>
    public double? WarmSeconds { get; init; }

    /// <summary>Whether a run hit the time box; the rate is then over the events applied within it.</summary>
    public bool TimedOut { get; init; }

    /// <summary>The offered rate of a paced row, events/s.</summary>
    public double? PacedRate { get; init; }

    /// <summary>Peak working set during the median run, MiB (for HTTP: the host process).</summary>
    public double PeakWorkingSetMiB { get; init; }

    /// <summary>Average events per grain call, message, chunk or request, when batched.</summary>
    public double? AverageBatch { get; init; }

    /// <summary>Set when the run did not finish.</summary>
    public string? Failure { get; init; }
}
