using System.Diagnostics.Metrics;
using OrleansFleet.Grains.State;

namespace OrleansFleet.Grains.Observability;

/// <summary>
/// What the device grains did, on the meter <see cref="MeterName"/>: events applied, dropped as duplicates, recorded
/// late, gaps skipped, alarms raised and cleared. Counted from the device state's own totals once per unit of work
/// (a slice, a timer turn), never per event; the instruments carry no tags, so an <c>Add</c> allocates nothing.
/// </summary>
public sealed class DeviceMetrics
{
    /// <summary>The meter of every OrleansFleet instrument.</summary>
    public const string MeterName = "OrleansFleet";

    private readonly Counter<long> _applied;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _late;
    private readonly Counter<long> _gaps;
    private readonly Counter<long> _raised;
    private readonly Counter<long> _cleared;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    public DeviceMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _applied = meter.CreateCounter<long>("fleet.events.applied", "{event}", "Events applied to device state, in seq order.");
        _duplicates = meter.CreateCounter<long>("fleet.events.duplicate", "{event}", "Events dropped because their seq was at or below the device's last applied one.");
        _late = meter.CreateCounter<long>("fleet.events.late", "{event}", "Events whose seq had been skipped as a gap: written to the history, not applied.");
        _gaps = meter.CreateCounter<long>("fleet.gaps.skipped", "{gap}", "Times a device stopped waiting for a missing seq and applied its held events past the gap.");
        _raised = meter.CreateCounter<long>("fleet.alarms.raised", "{alarm}", "Alarms opened (reading rules and offline).");
        _cleared = meter.CreateCounter<long>("fleet.alarms.cleared", "{alarm}", "Alarms cleared (recovered, shutdown, back online, rule removed).");
    }

    /// <summary>Adds what changed in <paramref name="state"/> since <paramref name="last"/>, and moves <paramref name="last"/> on.</summary>
    internal void Report(ref DeviceTally last, DeviceState state)
    {
        var now = DeviceTally.Of(state);
        Add(_applied, now.Applied - last.Applied);
        Add(_duplicates, now.Duplicates - last.Duplicates);
        Add(_late, now.Late - last.Late);
        Add(_gaps, now.Gaps - last.Gaps);
        var raised = now.Raised - last.Raised;
        Add(_raised, raised);
        // Every alarm that left the open set without a new one taking its place was cleared.
        Add(_cleared, raised - (now.Open - last.Open));
        last = now;
    }

    private static void Add(Counter<long> counter, long delta)
    {
        if (delta > 0)
        {
            counter.Add(delta);
        }
    }
}
