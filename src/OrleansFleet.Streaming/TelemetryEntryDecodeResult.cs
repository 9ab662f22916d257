namespace OrleansFleet.Streaming;

/// <summary>The outcome of <see cref="TelemetryEntryDecoder.Decode"/>: the entry's events, or why the entry is dead-lettered.</summary>
/// <param name="Events">The events, in entry order, when valid.</param>
/// <param name="DeadLetter">Why the entry cannot be delivered, when invalid.</param>
public sealed record TelemetryEntryDecodeResult(IReadOnlyList<TelemetryEvent>? Events, DeadLetter? DeadLetter);
