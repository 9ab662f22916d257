using System.ComponentModel.DataAnnotations;

namespace OrleansFleet.Grains;

/// <summary>How devices are handled (configuration section <c>Fleet</c>).</summary>
public sealed class FleetOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet";

    /// <summary>How many events with a higher <c>seq</c> than expected are held back waiting for the missing one.</summary>
    [Range(1, 10_000)]
    public int ReorderBufferSize { get; set; } = 64;

    /// <summary>How long a held event waits for the missing <c>seq</c> before it is applied past the gap.</summary>
    public TimeSpan ReorderHoldTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a device may stay silent before it is marked offline.</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The severity of the offline alarm.</summary>
    public AlarmSeverity OfflineSeverity { get; set; } = AlarmSeverity.Warning;

    /// <summary>How many cleared alarms a device keeps as history.</summary>
    [Range(0, 10_000)]
    public int AlarmHistoryLimit { get; set; } = 100;

    /// <summary>How many shards the fleet read model has. Fixed for the life of a deployment: changing it strands index data.</summary>
    [Range(1, 4_096)]
    public int IndexShards { get; set; } = 16;

    /// <summary>
    /// Whether each fleet index shard keeps one Orleans reminder as the durable backstop of offline detection, so a
    /// device is still marked offline when its activation (and its in-memory offline timer) was lost in a silo crash.
    /// </summary>
    public bool DurableOfflineWatch { get; set; } = true;

    /// <summary>
    /// How often each index shard's backstop reminder looks for devices silent past <see cref="OfflineAfter"/>. After
    /// a crash a device is marked offline at most this much (plus failure detection) later than it should be. Orleans
    /// refuses reminder periods below <c>ReminderOptions.MinimumReminderPeriod</c> (1 minute unless configured).
    /// </summary>
    public TimeSpan OfflineBackstopPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The fleet's default alarm rules (<c>Fleet:Rules</c>).</summary>
    public List<AlarmRule> Rules { get; set; } = [];
}
