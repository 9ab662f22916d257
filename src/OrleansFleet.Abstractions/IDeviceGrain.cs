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
    /// Applies a batch of this device's events by <c>seq</c> (duplicates dropped, gaps held back) and persists the
    /// result once. When the returned task completes, every event of the batch is durable: applied, or held in the
    /// persisted reorder buffer.
    /// </summary>
    [Alias("ApplyAsync")]
    Task ApplyAsync(TelemetryBatch batch);

    /// <summary>The device's live model, or <c>null</c> when the device has never reported.</summary>
    /// <remarks><c>[ReadOnly]</c>: queries may interleave with each other, never with a write.</remarks>
    [Alias("GetViewAsync"), ReadOnly]
    Task<DeviceView?> GetViewAsync();

    /// <summary>The device's alarms: the open ones, or all of them including recent history; <c>null</c> when the device has never reported.</summary>
    [Alias("GetAlarmsAsync"), ReadOnly]
    Task<IReadOnlyList<Alarm>?> GetAlarmsAsync(bool includeCleared);

    /// <summary>Marks an open alarm as seen by an operator.</summary>
    [Alias("AcknowledgeAlarmAsync")]
    Task<AcknowledgeResult> AcknowledgeAlarmAsync(string alarmId);

    /// <summary>The device's rule overrides and effective rules.</summary>
    [Alias("GetRulesAsync"), ReadOnly]
    Task<DeviceRules> GetRulesAsync();

    /// <summary>Replaces the device's rule overrides; open alarms of rules that no longer apply are cleared.</summary>
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
