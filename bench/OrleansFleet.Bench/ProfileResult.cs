namespace OrleansFleet.Bench;

/// <summary>What the allocation profile of one row showed.</summary>
/// <param name="Key">The row's key.</param>
/// <param name="Name">The row's name.</param>
/// <param name="Events">Events in the profiled (steady-state) part.</param>
/// <param name="Lines">Top types by sampled bytes, then the first-chance exceptions.</param>
public sealed record ProfileResult(string Key, string Name, int Events, IReadOnlyList<string> Lines);
