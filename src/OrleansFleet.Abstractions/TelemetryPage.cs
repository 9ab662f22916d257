namespace OrleansFleet;

/// <summary>One page of a device's telemetry history, newest reading first.</summary>
/// <param name="Items">The readings of this page, newest first.</param>
/// <param name="ContinuationToken">Opaque token for the next page; <c>null</c> when this is the last one.</param>
[GenerateSerializer, Immutable, Alias("fleet.TelemetryPage")]
public sealed record class TelemetryPage(
    [property: Id(0)] IReadOnlyList<TelemetryEvent> Items,
    [property: Id(1)] string? ContinuationToken);
