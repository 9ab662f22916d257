namespace OrleansFleet.Bench.Storage;

/// <summary>
/// The knobs that decide how much the writer gains: when it flushes (<see cref="MaxBatch"/>, <see cref="MaxDelay"/>,
/// as <c>Fleet:Storage:Writer</c>) and how many entity-group transactions the store keeps in flight
/// (<see cref="MaxConcurrentTransactions"/>) and lets wait before refusing writes as overload
/// (<see cref="MaxQueuedTransactions"/>), both as <c>Fleet:TelemetryHistory</c>.
/// </summary>
internal sealed record class WriterSettings(int MaxBatch, TimeSpan MaxDelay, int MaxConcurrentTransactions, int MaxQueuedTransactions)
{
    /// <summary>The product's defaults.</summary>
    public static WriterSettings Defaults { get; } = new(500, TimeSpan.FromMilliseconds(50), 8, 1024);

    public override string ToString() => $"MaxBatch {MaxBatch}, MaxDelay {MaxDelay.TotalMilliseconds:0} ms, MaxConcurrentTransactions {MaxConcurrentTransactions}, MaxQueuedTransactions {MaxQueuedTransactions}";
}
