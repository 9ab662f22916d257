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
    /// Longest wait, in server time, of events held on the stream's clock (see <c>SequenceOrderer</c>): for a
    /// partition that stops delivering altogether, so held events are not kept forever. Never shorter than
    /// <see cref="ReorderHoldTime"/>.
    /// </summary>
    public TimeSpan ReorderHoldBackstop { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>When device grains persist what they applied (<c>Fleet:Checkpoint</c>).</summary>
    public CheckpointOptions Checkpoint { get; set; } = new();

    /// <summary>The fleet's default alarm rules (<c>Fleet:Rules</c>).</summary>
    public List<AlarmRule> Rules { get; set; } = [];
}
