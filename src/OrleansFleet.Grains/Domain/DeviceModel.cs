using OrleansFleet.Grains.State;

namespace OrleansFleet.Grains.Domain;

/// <summary>
/// The behaviour of one device, free of Orleans: events in (any order), ordered state, alarms and offline status out.
/// The device grain wraps it with persistence, timers and the read model; tests drive it directly with any clock.
/// </summary>
public sealed class DeviceModel
{
    private readonly string _deviceId;
    private readonly DeviceState _state;
    private readonly DeviceColdState _cold;
    private readonly FleetOptions _options;
    private readonly IReadOnlyList<AlarmRule> _fleetRules;
    private readonly SequenceOrderer _orderer;
    private readonly AlarmBook _alarms;
    private readonly Action<TelemetryEvent> _apply;
    private readonly Action<TelemetryEvent> _late;
    private AlarmRule[] _rules;
    private bool _summaryChanged;
    private bool _coldChanged;

    /// <summary>Wraps <paramref name="state"/>, with empty cold state (history, overrides), for callers that do not persist.</summary>
    public DeviceModel(string deviceId, DeviceState state, FleetOptions options)
        : this(deviceId, state, new DeviceColdState(), options)
    {
    }

    /// <summary>Wraps <paramref name="state"/> and <paramref name="cold"/>, which it changes in place.</summary>
    public DeviceModel(string deviceId, DeviceState state, DeviceColdState cold, FleetOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(cold);
        ArgumentNullException.ThrowIfNull(options);
        _deviceId = deviceId;
        _state = state;
        _cold = cold;
        _options = options;
        _fleetRules = options.Rules;
        _orderer = new SequenceOrderer(state, options.ReorderBufferSize, options.ReorderHoldTime,
            // Never shorter than the hold itself: the backstop only ever waits longer than a direct call would.
            options.ReorderHoldBackstop > options.ReorderHoldTime ? options.ReorderHoldBackstop : options.ReorderHoldTime);
        _alarms = new AlarmBook(state, cold, deviceId, options.AlarmHistoryLimit);
        _rules = [.. RuleSet.Effective(_fleetRules, cold.RuleOverrides)];
        _apply = Apply;
        _late = RecordLate;
    }

    /// <summary>The hot state being changed.</summary>
    public DeviceState State => _state;

    /// <summary>The cold state being changed: cleared alarms and rule overrides.</summary>
    public DeviceColdState Cold => _cold;

    /// <summary>
    /// Whether the cold state changed since the last call (cleared alarms archived, rules replaced); resets the flag.
    /// The owner writes the cold state only then.
    /// </summary>
    public bool TakeColdChange()
    {
        var changed = _coldChanged || _alarms.HistoryChanged;
        _coldChanged = false;
        _alarms.HistoryChanged = false;
        return changed;
    }

    /// <summary>Applied events that carried readings, in the order applied, since the owner last cleared the list.</summary>
    public List<TelemetryEvent> AppliedReadings { get; } = [];

    /// <summary>When held events expire by server time, if any are held.</summary>
    public DateTimeOffset? HeldUntil => _orderer.HeldUntil;

    /// <summary>When held events expire by the partition's stream time, if they are held on it.</summary>
    public DateTimeOffset? HeldUntilStreamTime => _orderer.HeldUntilStreamTime;

    /// <summary>When the device will count as offline if nothing arrives before then.</summary>
    public DateTimeOffset? OfflineAt => _state.Offline ? null : _state.LastReceivedAt + _options.OfflineAfter;

    /// <summary>Receives one event at server time <paramref name="now"/>, outside the stream.</summary>
    public SequenceOrderer.Outcome Receive(TelemetryEvent telemetry, DateTimeOffset now) => Receive(telemetry, now, null);

    /// <summary>Receives one event at server time <paramref name="now"/> and, if it came through the stream, stream time <paramref name="streamTime"/>.</summary>
    public SequenceOrderer.Outcome Receive(TelemetryEvent telemetry, DateTimeOffset now, DateTimeOffset? streamTime)
    {
        var outcome = _orderer.Receive(telemetry, now, streamTime, _apply, _late);
        if (outcome != SequenceOrderer.Outcome.Duplicate)
        {
            MarkSeen(now);
        }

        return outcome;
    }

    /// <summary>Applies held events whose hold time has passed by server time.</summary>
    public bool ExpireHeld(DateTimeOffset now) => _orderer.ExpireHeld(now, null, _apply);

    /// <summary>Applies held events whose hold time has passed, on the stream clock when they are held on it.</summary>
    public bool ExpireHeld(DateTimeOffset now, DateTimeOffset? streamNow) => _orderer.ExpireHeld(now, streamNow, _apply);

    /// <summary>Marks the device offline, with an offline alarm, when it has been silent for the offline window.</summary>
    /// <returns>Whether the device went offline now.</returns>
    public bool CheckOffline(DateTimeOffset now)
    {
        if (_state.Offline || _state.LastReceivedAt is not { } last || now - last < _options.OfflineAfter)
        {
            return false;
        }

        _state.Offline = true;
        _summaryChanged = true;
        // A device that reported a shutdown is expected to fall silent: marking it offline is right, alarming is not.
        if (_state.Status != DeviceStatus.Shutdown)
        {
            _alarms.RaiseOrUpdate(AlarmRules.OfflineRuleId, null, _options.OfflineSeverity, null, now, null);
        }

        return true;
    }

    /// <summary>Acknowledges an open alarm at server time <paramref name="now"/>.</summary>
    public AcknowledgeResult Acknowledge(string alarmId, DateTimeOffset now) => _alarms.Acknowledge(alarmId, now);

    /// <summary>Replaces the device's rule overrides; open alarms of rules no longer in force are cleared.</summary>
    public DeviceRules SetRules(IReadOnlyList<AlarmRule> overrides, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        _cold.RuleOverrides = [.. overrides];
        _coldChanged = true;
        _rules = [.. RuleSet.Effective(_fleetRules, _cold.RuleOverrides)];
        var inForce = _rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        _alarms.ClearWhere(a => a.RuleId != AlarmRules.OfflineRuleId && !inForce.Contains(a.RuleId), now, AlarmRules.ClearReasons.RuleRemoved);
        foreach (var ruleId in _state.BreachSince.Keys.Where(id => !inForce.Contains(id)).ToList())
        {
            _state.BreachSince.Remove(ruleId);
        }

        return Rules();
    }

    /// <summary>The device's overrides and effective rules.</summary>
    public DeviceRules Rules() => new() { DeviceId = _deviceId, Overrides = [.. _cold.RuleOverrides], Effective = [.. _rules] };

    /// <summary>Open alarms, or all including history.</summary>
    public IReadOnlyList<Alarm> Alarms(bool includeCleared) => _alarms.List(includeCleared);

    /// <summary>A snapshot of the device for the API; it shares nothing mutable with the state.</summary>
    public DeviceView View() => new()
    {
        DeviceId = _deviceId,
        Status = _state.Status,
        Offline = _state.Offline,
        LastSeq = _state.LastSeq,
        LastSeen = _state.LastSeen,
        Metrics = new Dictionary<string, double>(_state.Metrics, StringComparer.Ordinal),
        ActiveAlarms = _alarms.List(includeCleared: false),
        Counters = new DeviceCounters(_state.Applied, _state.Duplicates, _state.Gaps, _state.Late),
        Pending = _state.Pending.Count,
    };

    /// <summary>
    /// If what the fleet read model shows of this device changed, bumps the version and returns true.
    /// Call once per unit of work, before the state is persisted, so the version is persisted with it.
    /// </summary>
    public bool TakeSummaryChange()
    {
        var changed = _summaryChanged || _alarms.OpenSetChanged;
        _summaryChanged = false;
        _alarms.OpenSetChanged = false;
        if (changed)
        {
            _state.SummaryVersion++;
        }

        return changed;
    }

    /// <summary>What the fleet read model shows of this device.</summary>
    public DeviceSummary Summary() => new()
    {
        DeviceId = _deviceId,
        Version = _state.SummaryVersion,
        Status = _state.Status,
        Offline = _state.Offline,
        OpenAlarms = [.. _state.OpenAlarms],
        LastHeardAt = _state.LastReceivedAt,
    };

    private void MarkSeen(DateTimeOffset now)
    {
        // A device's first report makes it part of the fleet the read model counts.
        _summaryChanged |= _state.LastReceivedAt is null;
        _state.LastReceivedAt = now;
        if (_state.Offline)
        {
            _state.Offline = false;
            _summaryChanged = true;
            _alarms.Clear(AlarmRules.OfflineRuleId, now, AlarmRules.ClearReasons.Online);
        }
    }

    /// <summary>
    /// A late event (its seq was skipped as a gap) goes to the telemetry history only. It changes neither the current
    /// metrics, status nor alarms: newer events already superseded it, and applying an older reading now would move
    /// the device backwards (a stale overheat would raise an alarm for a temperature that is already past).
    /// </summary>
    private void RecordLate(TelemetryEvent telemetry)
    {
        if (telemetry.Metrics.Count > 0)
        {
            AppliedReadings.Add(telemetry);
        }
    }

    private void Apply(TelemetryEvent telemetry)
    {
        _state.Applied++;
        if (_state.LastSeen is null || telemetry.Timestamp > _state.LastSeen)
        {
            _state.LastSeen = telemetry.Timestamp;
        }

        // A status travels with the readings of the same event, and takes effect first: a shutdown report that
        // also carries a last reading must not raise an alarm from that reading.
        if (telemetry.Status is { } status)
        {
            ApplyStatus(status, telemetry.Timestamp);
        }

        if (telemetry.Metrics.Count == 0)
        {
            return;
        }

        CopyMetrics(telemetry.Metrics);

        AppliedReadings.Add(telemetry);
        if (_state.Status == DeviceStatus.Shutdown)
        {
            return;
        }

        // Per event, so no enumerator allocations: an array of rules and a lookup per rule.
        foreach (var rule in _rules)
        {
            if (telemetry.Metrics.TryGetValue(rule.Metric, out var value))
            {
                Evaluate(rule, value, telemetry);
            }
        }
    }

    private void CopyMetrics(IReadOnlyDictionary<string, double> metrics)
    {
        // Events read from JSON carry a Dictionary; enumerating it as one uses its struct enumerator, not a boxed one.
        if (metrics is Dictionary<string, double> dictionary)
        {
            foreach (var (metric, value) in dictionary)
            {
                _state.Metrics[metric] = value;
            }

            return;
        }

        foreach (var (metric, value) in metrics)
        {
            _state.Metrics[metric] = value;
        }
    }

    private void ApplyStatus(DeviceStatus status, DateTimeOffset at)
    {
        if (status == _state.Status)
        {
            return;
        }

        if (status == DeviceStatus.Shutdown)
        {
            // The ghost-alert rule: once a device is shut down, none of its reading alarms stays open.
            _alarms.ClearWhere(a => a.RuleId != AlarmRules.OfflineRuleId, at, AlarmRules.ClearReasons.Shutdown);
            _state.BreachSince.Clear();
        }

        _state.Status = status;
        _summaryChanged = true;
    }

    private void Evaluate(AlarmRule rule, double value, TelemetryEvent telemetry)
    {
        var above = rule.Comparison == ThresholdComparison.Above;
        var breached = above ? value > rule.Threshold : value < rule.Threshold;
        if (breached)
        {
            if (_alarms.Open(rule.Id) is null && !HeldLongEnough(rule, telemetry.Timestamp))
            {
                return;
            }

            _state.BreachSince.Remove(rule.Id);
            _alarms.RaiseOrUpdate(rule.Id, rule.Metric, rule.Severity, value, telemetry.Timestamp, telemetry.Seq);
            return;
        }

        // Not breaching: a breach that had not lasted its hold time is forgotten.
        _state.BreachSince.Remove(rule.Id);
        var recovered = above ? value <= rule.EffectiveClearThreshold : value >= rule.EffectiveClearThreshold;
        if (recovered)
        {
            _alarms.Clear(rule.Id, telemetry.Timestamp, AlarmRules.ClearReasons.Recovered);
        }
    }

    private bool HeldLongEnough(AlarmRule rule, DateTimeOffset at)
    {
        if (rule.HoldTime is not { } hold || hold <= TimeSpan.Zero)
        {
            return true;
        }

        if (!_state.BreachSince.TryGetValue(rule.Id, out var since))
        {
            _state.BreachSince[rule.Id] = since = at;
        }

        return at - since >= hold;
    }
}
