namespace OrleansFleet.Bench.Variants;

/// <summary>One way of processing the workload. Setup and teardown happen outside the timed part.</summary>
public interface IBenchVariant
{
    /// <summary>Short stable key (results, <c>--only</c>).</summary>
    string Key { get; }

    /// <summary>The name in the table.</summary>
    string Name { get; }

    /// <summary>Whether it runs inside this process (the smoke test runs only these).</summary>
    bool InProcess { get; }

    /// <summary>
    /// Whether it starts an outside service of its own (redis-server, mock Kafka brokers): the smoke test leaves these
    /// out, --quick and full runs include them.
    /// </summary>
    bool NeedsServices => false;

    /// <summary>
    /// Whether the row times the warm-up itself (each device's first event on a fresh instance) instead of warming
    /// untimed and timing the steady state after it.
    /// </summary>
    bool ColdStart => false;

    /// <summary>Whether the row runs on uniform traffic only (the targets for it are uniform).</summary>
    bool UniformOnly => false;

    /// <summary>Where the row's latency ends, for the report.</summary>
    string LatencyMethod => "applied (the call, message or chunk returned)";

    /// <summary>Sets up a fresh instance for one run over <paramref name="workload"/>.</summary>
    Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken);
}
