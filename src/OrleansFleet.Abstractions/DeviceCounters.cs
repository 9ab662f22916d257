namespace OrleansFleet;

/// <summary>What a device's grain has done with the events it received.</summary>
/// <param name="Applied">Events applied to the device state.</param>
/// <param name="Duplicates">Events dropped because their <c>seq</c> was at or below the last applied one (and not a skipped one).</param>
/// <param name="Gaps">Times the reorder buffer gave up waiting for a missing <c>seq</c> and applied past it.</param>
/// <param name="Late">Events whose <c>seq</c> had been skipped as a gap: recorded in the telemetry history, not applied to the current state.</param>
[GenerateSerializer, Immutable, Alias("fleet.DeviceCounters")]
public sealed record class DeviceCounters(
    [property: Id(0)] long Applied,
    [property: Id(1)] long Duplicates,
    [property: Id(2)] long Gaps,
    [property: Id(3)] long Late = 0);
