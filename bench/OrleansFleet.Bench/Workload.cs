using OrleansFleet.Bench.Measurement;
using OrleansFleet.Bench.Variants;
using OrleansFleet.Simulator;

namespace OrleansFleet.Bench;

/// <summary>
/// The events every variant of one shape processes, generated once before any variant runs so no variant pays for
/// generation and all see the same traffic. Devices follow the simulator's plan: every 20th device plays the
/// overheat-then-shutdown cycle, the rest report normal temperatures.
/// </summary>
/// <remarks>
/// The events come in two parts. <see cref="Warm"/> holds each device's first event (seq 1), moved to the front:
/// replayed untimed, it activates every device a steady-state row measures, and timed on its own it is the cold-start
/// row. <see cref="Measured"/> is the rest, in traffic order. Per device the order stays seq order, so nothing about
/// order or alarms changes by the split.
/// </remarks>
public sealed class Workload
{
    private readonly Dictionary<EventRange, BatchPlan> _plans;

    private Workload(TrafficShape shape, TrafficSource source, TelemetryEvent[] events, int[] deviceOf, int warm)
    {
        Shape = shape;
        Source = source;
        Events = events;
        DeviceOf = deviceOf;
        Warm = new EventRange(0, warm);
        Measured = new EventRange(warm, events.Length - warm);
        // Planned once, before any row runs, so no timed part pays for cutting batches.
        _plans = new Dictionary<EventRange, BatchPlan> { [Warm] = BatchPlan.Build(this, Warm), [Measured] = BatchPlan.Build(this, Measured) };
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

    /// <summary>Each device's first event: the warm-up of a steady-state row, the whole of a cold-start row.</summary>
    public EventRange Warm { get; }

    /// <summary>The steady-state events after the warm-up.</summary>
    public EventRange Measured { get; }

    /// <summary>Warm-up and measured events together.</summary>
    public EventRange All => new(0, Events.Length);

    /// <summary>The fixed per-device batches over <paramref name="range"/> (the warm-up or the measured part).</summary>
    public BatchPlan Batches(EventRange range) => _plans[range];

    /// <summary>The events of one planned batch, as the array a grain call or a persist carries.</summary>
    public TelemetryEvent[] EventsOf(BatchPlan plan, PlannedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var indices = plan.EventsOf(batch);
        var events = new TelemetryEvent[indices.Length];
        for (var k = 0; k < events.Length; k++)
        {
            events[k] = Events[indices[k]];
        }

        return events;
    }

    /// <summary>Device id to device number.</summary>
    public IReadOnlyDictionary<string, int> Index { get; }

    /// <summary>
    /// Generates at least <paramref name="events"/> measured events over <paramref name="devices"/> devices, after a
    /// warm-up of one event per device that reports at all.
    /// </summary>
    public static Workload Generate(TrafficShape shape, int devices, int events, int seed)
    {
        var plan = new FleetPlan("dev", devices, Scenario.OverheatShutdown);
        // Device time starts two days back: the HTTP API rejects timestamps in the future.
        var source = new TrafficSource(plan, shape, seed, DateTimeOffset.UtcNow.AddDays(-2));
        // Every device's seq 1 moves to the warm-up, so draw one more per device to keep at least `events` measured.
        var drawn = new TelemetryEvent[events + devices];
        var drawnDevice = new int[drawn.Length];
        var warm = 0;
        for (var i = 0; i < drawn.Length; i++)
        {
            if (!source.TryNext(out drawn[i], out drawnDevice[i]))
            {
                throw new InvalidOperationException("The traffic source ran dry; the plan has no device left that reports.");
            }

            warm += drawn[i].Seq == 1 ? 1 : 0;
        }

        var all = new TelemetryEvent[drawn.Length];
        var deviceOf = new int[drawn.Length];
        int first = 0, rest = warm;
        for (var i = 0; i < drawn.Length; i++)
        {
            var slot = drawn[i].Seq == 1 ? first++ : rest++;
            all[slot] = drawn[i];
            deviceOf[slot] = drawnDevice[i];
        }

        return new Workload(shape, source, all, deviceOf, warm);
    }
}
