namespace OrleansFleet.Streaming;

/// <summary>How dead-letter reasons name an entry's device id and payload on a given transport.</summary>
/// <param name="DeviceLong">The device id's name where it is missing, e.g. "field 'd' (device id)".</param>
/// <param name="PayloadLong">The payload's name where it is missing, e.g. "field 'p' (telemetry JSON)".</param>
/// <param name="Device">The device id's short name, e.g. "field 'd'".</param>
/// <param name="Payload">The payload's short name, e.g. "field 'p'".</param>
public sealed record EntryFieldNames(string DeviceLong, string PayloadLong, string Device, string Payload);

/// <summary>The outcome of <see cref="TelemetryEntryDecoder.Decode"/>: a batch, or why the entry is dead-lettered.</summary>
/// <param name="Batch">The device's events, when valid.</param>
/// <param name="DeadLetter">Why the entry cannot be delivered, when invalid.</param>
public sealed record TelemetryEntryDecodeResult(TelemetryBatch? Batch, DeadLetter? DeadLetter);
