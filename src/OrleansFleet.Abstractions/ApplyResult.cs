namespace OrleansFleet;

/// <summary>What a device grain tells the partition consumer that fed it.</summary>
/// <param name="Incarnation">
/// Identifies the activation that applied the events in memory. If a later checkpoint answers with another one, the
/// activation was lost before it checkpointed, and the partition must not commit the positions it fed it.
/// </param>
/// <param name="HeldUntilStreamTime">
/// The partition stream time at which the device's held events stop waiting for a missing <c>seq</c>, or <c>null</c>
/// when nothing is held on the stream's clock. The partition consumer calls
/// <see cref="IDeviceGrain.AdvanceStreamTimeAsync"/> once its stream has delivered that far.
/// </param>
[GenerateSerializer, Immutable, Alias("fleet.ApplyResult")]
public readonly record struct ApplyResult(
    [property: Id(0)] long Incarnation,
    [property: Id(1)] DateTimeOffset? HeldUntilStreamTime);
