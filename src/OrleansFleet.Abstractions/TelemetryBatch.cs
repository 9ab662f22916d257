namespace OrleansFleet;

/// <summary>
/// Events of one device, handed to its grain in a single call. <c>[Immutable]</c> tells Orleans not to deep-copy the
/// batch on local calls: callers build it once and never touch it again, which saves the copy on the hot path.
/// </summary>
/// <param name="Events">The device's events in arrival order; the grain orders them by <see cref="TelemetryEvent.Seq"/>.</param>
[GenerateSerializer, Immutable, Alias("fleet.TelemetryBatch")]
public sealed record class TelemetryBatch([property: Id(0)] IReadOnlyList<TelemetryEvent> Events);
