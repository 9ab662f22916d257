using OrleansFleet.Simulator;

namespace OrleansFleet.Bench;

/// <summary>The size of a benchmark run and which variants take part.</summary>
public sealed record BenchSettings
{
    /// <summary>Devices in the workload.</summary>
    public int Devices { get; init; } = 10_000;

    /// <summary>Events per variant run.</summary>
    public int Events { get; init; } = 2_000_000;

    /// <summary>Runs per variant and shape; the median by throughput is reported.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>The traffic shapes to run.</summary>
    public IReadOnlyList<TrafficShape> Shapes { get; init; } = [TrafficShape.Uniform, TrafficShape.Zipf];

    /// <summary>Whether the HTTP end-to-end variant runs (it starts the built host as a child process).</summary>
    public bool IncludeHttp { get; init; } = true;

    /// <summary>Whether variants that start services of their own (redis-server) run.</summary>
    public bool IncludeServices { get; init; } = true;

    /// <summary>
    /// Event caps per variant key, so one slow path cannot take the whole time budget; a capped variant runs the same
    /// traffic cut short, and the results say so.
    /// </summary>
    public IReadOnlyDictionary<string, int> EventCaps { get; init; } = new Dictionary<string, int>();

    /// <summary>Only variants whose key contains this, if set.</summary>
    public string? Only { get; init; }

    /// <summary>Whether to sample allocations by type during one OrleansFleet direct run (an in-process EventListener).</summary>
    public bool Profile { get; init; }

    /// <summary>Longest any one variant run may take before it is abandoned and reported as timed out.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The workload's random seed.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>What this run is called in the results.</summary>
    public string Mode { get; init; } = "full";

    /// <summary>The full run: 10,000 devices, 2,000,000 events per variant, median of 3.</summary>
    public static BenchSettings Full => new()
    {
        Profile = true,
        // Measured at a few thousand events/s on 2 shared cores: 2,000,000 would take minutes per run. The caps keep
        // the whole run near 12 minutes; the stream rows carry the pulling agents and (Redis) a real
        // round trip per publish, so they get fewer.
        EventCaps = new Dictionary<string, int>
        {
            ["orleans-direct"] = 100_000,
            ["orleans-direct-json"] = 20_000,
            ["orleans-http"] = 30_000,
            ["orleans-stream-memory"] = 50_000,
            ["orleans-stream-redis"] = 100_000,
        },
    };

    /// <summary>
    /// The quick run, under a minute in all: the same traffic shapes on 2,000 devices, 50,000 events, one run each.
    /// Every OrleansFleet row is capped at 4,000 events, because its cost is mostly starting a silo (or the host, or a
    /// Redis server) and activating devices, which says little about throughput anyway.
    /// </summary>
    public static BenchSettings Quick => new()
    {
        Devices = 2_000,
        Events = 50_000,
        Runs = 1,
        Mode = "quick",
        EventCaps = new Dictionary<string, int>
        {
            ["orleans-direct"] = 4_000,
            ["orleans-direct-json"] = 4_000,
            ["orleans-http"] = 4_000,
            ["orleans-stream-memory"] = 4_000,
            ["orleans-stream-redis"] = 4_000,
        },
    };

    /// <summary>
    /// The smoke run the test suite uses: tiny, in-process only and without services of its own (the memory stream
    /// runs, Redis does not), checks counts and order, never timings.
    /// </summary>
    public static BenchSettings Smoke => new() { Devices = 200, Events = 5_000, Runs = 1, IncludeHttp = false, IncludeServices = false, Mode = "smoke" };
}
