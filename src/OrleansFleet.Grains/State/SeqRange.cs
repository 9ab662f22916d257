namespace OrleansFleet.Grains.State;

/// <summary>An inclusive range of <c>seq</c> numbers, e.g. a gap that was applied past.</summary>
/// <param name="First">The first seq of the range.</param>
/// <param name="Last">The last seq of the range.</param>
[GenerateSerializer, Immutable, Alias("fleet.SeqRange")]
public readonly record struct SeqRange([property: Id(0)] long First, [property: Id(1)] long Last);
