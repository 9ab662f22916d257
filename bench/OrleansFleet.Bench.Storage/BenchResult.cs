namespace OrleansFleet.Bench.Storage;

/// <summary>One measured way of writing.</summary>
/// <param name="Mode">What was measured, as the table's first column shows it.</param>
/// <param name="FlushSize">Readings per store call (direct runs) or the writer's <c>MaxBatch</c>.</param>
/// <param name="RowsPerTransaction">
/// Readings of one device per flush, so rows per entity-group transaction: what batching gains by. For the writer it is
/// the most a flush can hold, as a device has one call (<c>--per-call</c> readings) in flight at a time.
/// </param>
/// <param name="ReadingsWritten">Readings known durable when the run ended.</param>
/// <param name="ReadingsPlanned">Readings the run would have written without the time budget.</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="ReadingsPerSecond">Written over seconds.</param>
/// <param name="FailedCalls">Writer calls that failed; their readings are not counted as written.</param>
internal sealed record class BenchResult(
    string Mode,
    int FlushSize,
    int RowsPerTransaction,
    int ReadingsWritten,
    int ReadingsPlanned,
    double Seconds,
    double ReadingsPerSecond,
    int FailedCalls = 0);
