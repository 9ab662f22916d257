using OrleansFleet.Grains;
using OrleansFleet.Grains.Domain;
using OrleansFleet.Grains.State;

namespace OrleansFleet.Bench.Measurement;

/// <summary>
/// The per-event domain work every baseline does: the project's own <see cref="DeviceModel"/> per device (seq
/// ordering, rules, alarm lifecycle), behind an apply hook that counts order violations. Callers guarantee one writer
/// per device at a time (a lock, a shard, an actor), as the device grain does. The static members are the one place
/// the bench-only actors and grains (raw Orleans, Akka.Persistence) call the domain code, so a change of its shape is
/// adapted here.
/// </summary>
public sealed class DeviceApplier
{
    private static readonly FleetOptions Options = BenchFleet.Options();
    private readonly Workload _workload;
    private readonly DeviceModel[] _models;
    private readonly long[] _lastHanded;
    private long _violations;

    /// <summary>Creates a fresh model per device of <paramref name="workload"/>.</summary>
    public DeviceApplier(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        _workload = workload;
        _models = new DeviceModel[workload.Plan.Count];
        for (var d = 0; d < _models.Length; d++)
        {
            _models[d] = NewModel(workload.Plan.Id(d), new DeviceState());
        }

        _lastHanded = new long[_models.Length];
    }

    /// <summary>A device model over <paramref name="state"/> with the fleet's default rules.</summary>
    public static DeviceModel NewModel(string deviceId, DeviceState state) => new(deviceId, state, Options);

    /// <summary>Applies one event to <paramref name="model"/> at server time <paramref name="now"/>.</summary>
    public static void Receive(DeviceModel model, TelemetryEvent telemetry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Receive(telemetry, now);
        // The grain clears this after each save; here nothing consumes it, so it must not grow for the whole run.
        model.AppliedReadings.Clear();
    }

    /// <summary>What <paramref name="model"/> ended with.</summary>
    public static DeviceCheck Check(DeviceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var state = model.State;
        var open = state.OpenAlarms.Count(a => a.RuleId == DeviceCheck.CheckedRule);
        return new DeviceCheck(state.Applied, state.LastSeq, state.Pending.Count, state.Duplicates, state.Gaps, open,
            open + model.Cold.AlarmHistory.Count(a => a.RuleId == DeviceCheck.CheckedRule));
    }

    /// <summary>The model of device <paramref name="device"/>, for callers that lock on it.</summary>
    public object Gate(int device) => _models[device];

    /// <summary>Applies event <paramref name="index"/> at server time <paramref name="now"/>.</summary>
    public void Apply(int index, DateTimeOffset now)
    {
        var device = _workload.DeviceOf[index];
        var telemetry = _workload.Events[index];
        var seq = telemetry.Seq!.Value;
        if (seq < _lastHanded[device])
        {
            Interlocked.Increment(ref _violations);
        }
        else
        {
            _lastHanded[device] = seq;
        }

        Receive(_models[device], telemetry, now);
    }

    /// <summary>Checks every device's final state against the workload, sent through <paramref name="sent"/>.</summary>
    public RunOutcome Verify(EventRange sent, long dispatches = 0) =>
        DeviceCheck.Judge(_workload, [.. _models.Select(Check)], sent, new RunOutcome { OrderViolations = Interlocked.Read(ref _violations), Dispatches = dispatches });
}
