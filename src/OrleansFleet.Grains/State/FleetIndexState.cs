namespace OrleansFleet.Grains.State;

/// <summary>One shard of the fleet read model: the latest summary of every device that hashes to it.</summary>
[GenerateSerializer, Alias("fleet.FleetIndexState")]
public sealed class FleetIndexState
{
    /// <summary>Device id → its latest summary.</summary>
    [Id(0)] public Dictionary<string, DeviceSummary> Devices { get; set; } = new(StringComparer.Ordinal);
}
