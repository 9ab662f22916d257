using OrleansFleet.Grains.Domain;
using OrleansFleet.Grains.State;

namespace OrleansFleet.Bench.Measurement;

/// <summary>
/// The per-event domain work every in-process baseline does: the project's own <see cref="DeviceModel"/> per device
/// (seq ordering, rules, alarm lifecycle), behind an apply hook that counts order violations. Callers guarantee one
/// writer per device at a time (a lock, a shard, an actor), as the device grain does.
/// </summary>
public sealed class DeviceApplier
{
    private readonly Workload _workload;
    private readonly DeviceModel[] _models;
    private readonly long[] _lastHanded;
    private long _violations;

    /// <summary>Creates a fresh model per device of <paramref name="workload"/>.</summary>
    public DeviceApplier(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        _workload = workload;
        var options = BenchFleet.Options();
        _models = new DeviceModel[workload.Plan.Count];
        for (var d = 0; d < _models.Length; d++)
        {
            _models[d] = new DeviceModel(workload.Plan.Id(d), new DeviceState(), options);
        }

        _lastHanded = new long[_models.Length];
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

        var model = _models[device];
        model.Receive(telemetry, now);
        // The grain clears this after each save; here nothing consumes it, so it must not grow for the whole run.
        model.AppliedReadings.Clear();
    }

    /// <summary>Checks every device's final state against the workload.</summary>
    public RunOutcome Verify(long dispatches = 0)
    {
        long applied = 0, held = 0, duplicates = 0, gaps = 0;
        int mismatches = 0, alarms = 0;
        for (var d = 0; d < _models.Length; d++)
        {
            var state = _models[d].State;
            var sent = _workload.Source.LastSeq(d);
            applied += state.Applied;
            held += state.Pending.Count;
            duplicates += state.Duplicates;
            gaps += state.Gaps;
            if (state.LastSeq != sent || state.Gaps > 0)
            {
                mismatches++;
            }

            var open = state.OpenAlarms.Count(a => a.RuleId == "temperature-high");
            var visible = open + _models[d].Cold.AlarmHistory.Count(a => a.RuleId == "temperature-high");
            if (!Simulator.DeviceScript.AlarmsMatch(_workload.Plan.Role(d), sent, open, visible, BenchFleet.Options().AlarmHistoryLimit))
            {
                alarms++;
            }
        }

        return new RunOutcome
        {
            Applied = applied,
            OrderViolations = Interlocked.Read(ref _violations),
            LastSeqMismatches = mismatches,
            Held = held,
            Dropped = (duplicates, gaps),
            AlarmMismatches = alarms,
            Dispatches = dispatches,
        };
    }
}
