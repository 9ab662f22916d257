namespace OrleansFleet.Bench.Measurement;

/// <summary>
/// A contiguous part of a workload's events by index: the warm-up prefix (each device's first event) or the measured
/// steady-state part after it. Indices stay global, so every recorder and audit can key arrays by event index.
/// </summary>
/// <param name="Start">The first event index.</param>
/// <param name="Count">How many events.</param>
public readonly record struct EventRange(int Start, int Count)
{
    /// <summary>One past the last event index.</summary>
    public int End => Start + Count;

    /// <summary>Whether <paramref name="index"/> is inside the range.</summary>
    public bool Contains(int index) => (uint)(index - Start) < (uint)Count;
}
