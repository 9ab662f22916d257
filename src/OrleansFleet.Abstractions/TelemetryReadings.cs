namespace OrleansFleet;

/// <summary>
/// Applied readings a device grain hands to the telemetry writer. <c>[Immutable]</c> tells Orleans not to deep-copy
/// them on the (always local) call to the stateless worker: the device grain builds the list for this call and never
/// touches it again, and the writer only reads it.
/// </summary>
/// <param name="Items">The readings, usually of one device, in any order.</param>
[GenerateSerializer, Immutable, Alias("fleet.TelemetryReadings")]
public sealed record class TelemetryReadings([property: Id(0)] IReadOnlyList<TelemetryEvent> Items);
