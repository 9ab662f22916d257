namespace OrleansFleet;

/// <summary>
/// One report from a device: readings, a status change, or both. Validated before it enters the system
/// by the wire reader, so grains and stream providers can trust every instance they receive.
/// </summary>
/// <param name="DeviceId">The device: 1–128 characters of A-Z a-z 0-9 . _ : -</param>
/// <param name="Seq">The device's own sequence number (1, 2, 3, …). Events are applied in this order; <c>null</c> means "apply in arrival order".</param>
/// <param name="Timestamp">When the device took the reading (UTC).</param>
/// <param name="Metrics">Metric name to finite value; may be empty (a heartbeat or a pure status report).</param>
/// <param name="Status">The status the device reports, if this event carries one.</param>
[GenerateSerializer, Immutable, Alias("fleet.TelemetryEvent")]
public sealed record class TelemetryEvent(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] long? Seq,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] IReadOnlyDictionary<string, double> Metrics,
    [property: Id(4)] DeviceStatus? Status = null);
