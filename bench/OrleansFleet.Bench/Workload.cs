using OrleansFleet.Simulator;

namespace OrleansFleet.Bench;

/// <summary>
/// The events every variant of one shape processes, generated once before any variant runs so no variant pays for
/// generation and all see the same traffic. Devices follow the simulator's plan: every 20th device plays the
/// overheat-then-shutdown cycle, the rest report normal temperatures.
/// </summary>
public sealed class Workload
{
    private Workload(TrafficShape shape, TrafficSource source, TelemetryEvent[] events, int[] deviceOf)
    {
        Shape = shape;
        Source = source;
        Events = events;
        DeviceOf = deviceOf;
        var index = new Dictionary<string, int>(source.Plan.Count, StringComparer.Ordinal);
        for (var d = 0; d < source.Plan.Count; d++)
        {
            index[source.Plan.Id(d)] = d;
        }

        Index = index;
    }

    /// <summary>The traffic shape.</summary>
    public TrafficShape Shape { get; }

    /// <summary>What was generated per device (last seq), for the checks.</summary>
    public TrafficSource Source { get; }

    /// <summary>The plan: device ids and roles.</summary>
    public FleetPlan Plan => Source.Plan;

    /// <summary>The events, in ingest order; each device's events are in seq order.</summary>
    public TelemetryEvent[] Events { get; }

    /// <summary>The device number of each event.</summary>
    public int[] DeviceOf { get; }

    /// <summary>Device id to device number.</summary>
    public IReadOnlyDictionary<string, int> Index { get; }

    /// <summary>Generates <paramref name="events"/> events over <paramref name="devices"/> devices.</summary>
    public static Workload Generate(TrafficShape shape, int devices, int events, int seed)
    {
        var plan = new FleetPlan("dev", devices, Scenario.OverheatShutdown);
        // Device time starts two days back: the HTTP API rejects timestamps in the future.
        var source = new TrafficSource(plan, shape, seed, DateTimeOffset.UtcNow.AddDays(-2));
        var all = new TelemetryEvent[events];
        var deviceOf = new int[events];
        for (var i = 0; i < events; i++)
        {
            if (!source.TryNext(out all[i], out deviceOf[i]))
            {
                throw new InvalidOperationException("The traffic source ran dry; the plan has no device left that reports.");
            }
        }

        return new Workload(shape, source, all, deviceOf);
    }
}
