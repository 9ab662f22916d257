using OrleansFleet.Simulator;

namespace OrleansFleet.Bench;

/// <summary>The size of a benchmark run and which variants take part.</summary>
public sealed record BenchSettings
{
    /// <summary>The fewest measured events per device any row may run with (a cap never goes below it).</summary>
    public const int MinEventsPerDevice = 100;

    /// <summary>Devices in the workload.</summary>
    public int Devices { get; init; } = 10_000;

    /// <summary>Measured (steady-state) events per variant run, after the warm-up's one event per device.</summary>
    public int Events { get; init; } = 2_000_000;

    /// <summary>Runs per variant and shape; the median by throughput is reported.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>The traffic shapes to run.</summary>
    public IReadOnlyList<TrafficShape> Shapes { get; init; } = [TrafficShape.Uniform, TrafficShape.Zipf];

    /// <summary>Whether the HTTP end-to-end variants run (they start the built host as a child process).</summary>
    public bool IncludeHttp { get; init; } = true;

    /// <summary>Whether variants that start services of their own (redis-server, PostgreSQL) run.</summary>
    public bool IncludeServices { get; init; } = true;

    /// <summary>
    /// Event caps per variant key, for a peer row too slow for the full count within the time budget; a capped
    /// variant runs the same traffic cut short, never below <see cref="MinEventsPerDevice"/> per device, and the
    /// results say so.
    /// </summary>
    public IReadOnlyDictionary<string, int> EventCaps { get; init; } = new Dictionary<string, int>();

    /// <summary>Variant keys left out of this run (diagnostic rows, by default).</summary>
    public IReadOnlyCollection<string> Exclude { get; init; } = [];

    /// <summary>Variant keys that run on uniform traffic only in this run (the smoke run's slow-to-start rows).</summary>
    public IReadOnlyCollection<string> UniformOnlyKeys { get; init; } = [];

    /// <summary>
    /// Only these variants, if set: a key given exactly selects that variant alone, anything else every variant whose
    /// key contains it (<c>--only raw-orleans-memory,orleans-direct</c> puts a row beside its reference).
    /// </summary>
    public IReadOnlyList<string>? Only { get; init; }

    /// <summary>Rows to run once more with the allocation sampler on (an in-process EventListener), after the table.</summary>
    public IReadOnlyList<string> ProfileKeys { get; init; } = [];

    /// <summary>Measured events of a profiled run.</summary>
    public int ProfileEvents { get; init; } = 200_000;

    /// <summary>
    /// The time box of one run's warm-up and, separately, of its timed part. A run that does not finish in it is
    /// reported with the rate over what it applied, marked as timed out, and the row's further runs are skipped.
    /// </summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// How much offered load the paced HTTP row sends: its event count is its rate times this (never below
    /// <see cref="MinEventsPerDevice"/> per device, never above <see cref="Events"/>), and its time box is
    /// <see cref="RunTimeout"/> on top of that, so the pacing itself never runs into the box.
    /// </summary>
    public TimeSpan PacedOffer { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The workload's random seed.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>What this run is called in the results.</summary>
    public string Mode { get; init; } = "full";

    /// <summary>
    /// The full run: 10,000 devices, 2,000,000 measured events per row after the warm-up, median of 3. The
    /// Akka.Persistence peer is capped at 1,000,000 (100 per device): it writes every event to PostgreSQL and would
    /// otherwise take most of the budget. The diagnostic rows (JSON storage, no checkpoints) run only when asked for (--diagnostics).
    /// </summary>
    public static BenchSettings Full => new()
    {
        ProfileKeys = ["orleans-direct", "orleans-stream-redis"],
        EventCaps = new Dictionary<string, int> { ["akka-persistence"] = 1_000_000 },
        Exclude = new HashSet<string> { "orleans-direct-json", "orleans-direct-no-checkpoints" },
    };

    /// <summary>
    /// The quick run: every row once, on 1,000 devices and 100,000 measured events (100 per device, the least a
    /// steady-state row may have), a 60 s time box.
    /// </summary>
    public static BenchSettings Quick => new()
    {
        Devices = 1_000,
        Events = 100_000,
        Runs = 1,
        Mode = "quick",
        ProfileKeys = ["orleans-direct"],
        ProfileEvents = 50_000,
        RunTimeout = TimeSpan.FromSeconds(60),
        Exclude = new HashSet<string> { "orleans-direct-json", "orleans-direct-no-checkpoints" },
    };

    /// <summary>
    /// The smoke run the test suite uses: tiny (100 devices, 2,000 measured events), every row the suite can start
    /// services for itself (PostgreSQL and redis-server included), uniform traffic only for most rows that start a
    /// silo, a service or the host; checks counts and order, never timings.
    /// </summary>
    public static BenchSettings Smoke => new()
    {
        Devices = 100,
        Events = 2_000,
        Runs = 1,
        Mode = "smoke",
        ProfileKeys = ["orleans-direct"],
        ProfileEvents = 1_000,
        RunTimeout = TimeSpan.FromSeconds(60),
        // Every row that starts a silo, a host or a server runs once (uniform); Zipf covers the in-memory rows and the
        // direct grain row, so the suite's run stays well under a minute on a busy machine.
        UniformOnlyKeys = new HashSet<string> { "orleans-http", "orleans-stream-redis", "orleans-stream-memory", "akka-persistence", "orleans-direct-json", "orleans-direct-no-checkpoints", "raw-orleans-stored" },
    };
}
