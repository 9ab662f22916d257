namespace OrleansFleet.Bench.Storage;

/// <summary>What one writer run achieved.</summary>
internal sealed record class WriterLoadResult(int Written, int Planned, int FailedCalls, string? FirstFailure, TimeSpan Elapsed);
