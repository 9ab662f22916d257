using OrleansFleet.Grains.State;

namespace OrleansFleet.Grains.Domain;

/// <summary>
/// The alarm lifecycle of one device: active → acknowledged → cleared, at most one open alarm per rule, and a bounded
/// history of cleared ones. Every change it makes to the open set is one the fleet read model must hear about,
/// which <see cref="OpenSetChanged"/> records.
/// </summary>
public sealed class AlarmBook(DeviceState state, DeviceColdState cold, string deviceId, int historyLimit)
{
    /// <summary>Whether the cleared-alarm history changed since the flag was last reset.</summary>
    public bool HistoryChanged { get; set; }

    /// <summary>Whether the open alarms changed since the flag was last reset.</summary>
    public bool OpenSetChanged { get; set; }

    /// <summary>The open alarm of <paramref name="ruleId"/>, if any.</summary>
    public Alarm? Open(string ruleId)
    {
        var index = IndexOfOpen(ruleId);
        return index >= 0 ? state.OpenAlarms[index] : null;
    }

    /// <summary>Raises a new alarm of <paramref name="ruleId"/>, or, if one is open, records the repeated breach on it.</summary>
    public Alarm RaiseOrUpdate(string ruleId, string? metric, AlarmSeverity severity, double? value, DateTimeOffset at, long? seq)
    {
        var index = IndexOfOpen(ruleId);
        if (index >= 0)
        {
            // A repeated breach updates the open alarm; it never opens a second one.
            var updated = state.OpenAlarms[index] with { Value = value, BreachCount = state.OpenAlarms[index].BreachCount + 1 };
            state.OpenAlarms[index] = updated;
            return updated;
        }

        var alarm = new Alarm
        {
            Id = $"a{state.NextAlarmNumber++}",
            DeviceId = deviceId,
            RuleId = ruleId,
            Metric = metric,
            Severity = severity,
            State = AlarmState.Active,
            Value = value,
            RaisedAt = at,
            RaisedBySeq = seq,
        };
        state.OpenAlarms.Add(alarm);
        OpenSetChanged = true;
        return alarm;
    }

    /// <summary>Clears the open alarm of <paramref name="ruleId"/>, if any.</summary>
    public bool Clear(string ruleId, DateTimeOffset at, string reason)
    {
        // Called for every reading that does not breach: a plain search, no closure, and nothing to do most times.
        var index = IndexOfOpen(ruleId);
        if (index < 0)
        {
            return false;
        }

        var alarm = state.OpenAlarms[index];
        state.OpenAlarms.RemoveAt(index);
        AddToHistory(alarm with { State = AlarmState.Cleared, ClearedAt = at, ClearReason = reason });
        OpenSetChanged = true;
        return true;
    }

    /// <summary>Clears every open alarm that matches <paramref name="match"/>.</summary>
    public int ClearWhere(Predicate<Alarm> match, DateTimeOffset at, string reason)
    {
        var cleared = 0;
        for (var i = state.OpenAlarms.Count - 1; i >= 0; i--)
        {
            var alarm = state.OpenAlarms[i];
            if (!match(alarm))
            {
                continue;
            }

            state.OpenAlarms.RemoveAt(i);
            AddToHistory(alarm with { State = AlarmState.Cleared, ClearedAt = at, ClearReason = reason });
            cleared++;
        }

        if (cleared > 0)
        {
            OpenSetChanged = true;
        }

        return cleared;
    }

    /// <summary>Marks an open alarm as seen by an operator. Acknowledging twice is harmless.</summary>
    public AcknowledgeResult Acknowledge(string alarmId, DateTimeOffset at)
    {
        var index = state.OpenAlarms.FindIndex(a => a.Id == alarmId);
        if (index >= 0)
        {
            var alarm = state.OpenAlarms[index];
            if (alarm.State == AlarmState.Active)
            {
                alarm = alarm with { State = AlarmState.Acknowledged, AcknowledgedAt = at };
                state.OpenAlarms[index] = alarm;
                OpenSetChanged = true;
            }

            return new(AcknowledgeOutcome.Acknowledged, alarm);
        }

        var cleared = cold.AlarmHistory.Find(a => a.Id == alarmId);
        return cleared is null
            ? new(AcknowledgeOutcome.NotFound, null)
            : new(AcknowledgeOutcome.AlreadyCleared, cleared);
    }

    /// <summary>Open alarms, then (when asked) history, newest first.</summary>
    public IReadOnlyList<Alarm> List(bool includeCleared)
    {
        var open = state.OpenAlarms.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id.Length).ThenByDescending(a => a.Id, StringComparer.Ordinal);
        if (!includeCleared)
        {
            return open.ToList();
        }

        return open.Concat(Enumerable.Reverse(cold.AlarmHistory)).ToList();
    }

    private int IndexOfOpen(string ruleId)
    {
        var open = state.OpenAlarms;
        for (var i = 0; i < open.Count; i++)
        {
            if (open[i].RuleId == ruleId)
            {
                return i;
            }
        }

        return -1;
    }

    private void AddToHistory(Alarm alarm)
    {
        cold.AlarmHistory.Add(alarm);
        HistoryChanged = true;
        var excess = cold.AlarmHistory.Count - historyLimit;
        if (excess > 0)
        {
            cold.AlarmHistory.RemoveRange(0, excess);
        }
    }
}
