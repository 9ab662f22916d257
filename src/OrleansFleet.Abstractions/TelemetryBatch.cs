namespace OrleansFleet;

/// <summary>
/// Events handed over together: one partition's append on the telemetry stream (many devices), or one device's slice
/// of it in a grain call. <c>[Immutable]</c> tells Orleans not to deep-copy the batch on local calls: callers build it
/// once and never touch it again, which saves the copy on the hot path.
/// </summary>
/// <param name="Events">The events in the order appended; a device grain orders its own by <see cref="TelemetryEvent.Seq"/>.</param>
/// <param name="StreamTime">
/// When the batch was appended to its partition (the transport's clock: the Redis entry id's time, the ingestor's
/// clock on memory streams); <c>null</c> for calls that do not come through the stream. A partition delivers in append
/// order, so this is also how far the partition has delivered, and a device measures its reorder hold on it.
/// </param>
[GenerateSerializer, Immutable, Alias("fleet.TelemetryBatch")]
public sealed record class TelemetryBatch(
    [property: Id(0)] IReadOnlyList<TelemetryEvent> Events,
    [property: Id(1)] DateTimeOffset? StreamTime = null);
