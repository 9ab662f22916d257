namespace OrleansFleet;

/// <summary>
/// The consumer of one telemetry partition (key = the partition number). Orleans activates it through its implicit
/// subscription when the partition's stream delivers; it has nothing to call from outside but the barrier, which
/// tests and operators may run at once instead of waiting for its timer.
/// </summary>
[Alias("fleet.ITelemetryPartitionGrain")]
public interface ITelemetryPartitionGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Runs the barrier now: every device fed since the last barrier checkpoints, then the delivered positions are
    /// committed to the transport. Returns how many positions were committed.
    /// </summary>
    [Alias("BarrierAsync")]
    Task<int> BarrierAsync();
}
