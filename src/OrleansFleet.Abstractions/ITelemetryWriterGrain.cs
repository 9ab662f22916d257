namespace OrleansFleet;

/// <summary>
/// The telemetry history's batching writer (group commit): device grains hand over the readings they applied and wait
/// until those readings are durable. Use key 0; it is a stateless worker, so every silo runs its own local activation
/// and calls never leave the silo.
/// </summary>
[Alias("fleet.ITelemetryWriterGrain")]
public interface ITelemetryWriterGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Queues <paramref name="readings"/> for the next flush to the history store. The task completes when the flush
    /// that holds them has completed, and fails when that flush failed: then none of them may be treated as persisted.
    /// </summary>
    /// <param name="readings">The readings to persist.</param>
    [Alias("WriteAsync")]
    Task WriteAsync(TelemetryReadings readings);
}
