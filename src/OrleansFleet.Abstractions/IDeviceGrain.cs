using Orleans.Concurrency;

namespace OrleansFleet;

/// <summary>
/// One device: the only writer of its state. Orleans runs one call at a time on an activation, so applying events,
/// evaluating rules and raising alarms never race; order comes from each event's <c>seq</c>, not from call order.
/// </summary>
[Alias("fleet.IDeviceGrain")]
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a batch of this device's events by <c>seq</c> (duplicates dropped, gaps held back, late events recorded)
    /// in memory. Alarms change at once and queries see the result; the state and its telemetry history are persisted
    /// by the next checkpoint (<c>Fleet:Checkpoint:Interval</c> or <c>:MaxEvents</c>, <see cref="CheckpointAsync"/>,
    /// or deactivation), not before this returns.
    /// </summary>
    [Alias("ApplyAsync")]
    Task<ApplyResult> ApplyAsync(TelemetryBatch batch);

    /// <summary>
    /// Tells the device how far its partition has delivered, so events held on the stream's clock are applied past
    /// their gap once the stream has delivered their hold time's worth of later appends.
    /// </summary>
    [Alias("AdvanceStreamTimeAsync")]
    Task<ApplyResult> AdvanceStreamTimeAsync(DateTimeOffset streamTime);

    /// <summary>
    /// Persists what was applied since the last checkpoint: history rows first, then the state, then the summary to the
    /// fleet read model. Returns the activation's incarnation (see <see cref="ApplyResult.Incarnation"/>).
    /// </summary>
    [Alias("CheckpointAsync")]
    Task<long> CheckpointAsync();

    /// <summary>The device's live model, or <c>null</c> when the device has never reported.</summary>
    /// <remarks><c>[ReadOnly]</c>: queries may interleave with each other, never with a write.</remarks>
    [Alias("GetViewAsync"), ReadOnly]
    Task<DeviceView?> GetViewAsync();

    /// <summary>The device's alarms: the open ones, or all of them including recent history; <c>null</c> when the device has never reported.</summary>
    [Alias("GetAlarmsAsync"), ReadOnly]
    Task<IReadOnlyList<Alarm>?> GetAlarmsAsync(bool includeCleared);

    /// <summary>Marks an open alarm as seen by an operator; persisted before it answers.</summary>
    [Alias("AcknowledgeAlarmAsync")]
    Task<AcknowledgeResult> AcknowledgeAlarmAsync(string alarmId);

    /// <summary>The device's rule overrides and effective rules.</summary>
    [Alias("GetRulesAsync"), ReadOnly]
    Task<DeviceRules> GetRulesAsync();

    /// <summary>Replaces the device's rule overrides (open alarms of rules that no longer apply are cleared); persisted before it answers.</summary>
    [Alias("SetRulesAsync")]
    Task<DeviceRules> SetRulesAsync(IReadOnlyList<AlarmRule> overrides);

    /// <summary>
    /// Marks the device offline if it has been silent for its offline window, and returns what the fleet read model
    /// should show of it (<c>null</c> when it never reported). The fleet index's offline backstop calls it for devices
    /// it holds as overdue; the call activates a device whose activation was lost in a silo crash.
    /// </summary>
    [Alias("CheckOfflineAsync")]
    Task<DeviceSummary?> CheckOfflineAsync();
}
