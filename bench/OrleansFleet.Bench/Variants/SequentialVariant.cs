using System.Diagnostics;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// One thread, no hand-off: the domain work alone. Not a pattern anyone deploys, but it shows what the per-event work
/// costs, so every other row can be read as "domain work plus the price of its concurrency model".
/// </summary>
public sealed class SequentialVariant : IBenchVariant
{
    /// <inheritdoc />
    public string Key => "sequential";

    /// <inheritdoc />
    public string Name => "sequential (1 thread, reference)";

    /// <inheritdoc />
    public bool InProcess => true;

    /// <inheritdoc />
    public Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken) => Task.FromResult<IVariantRun>(new Run(workload));

    private sealed class Run(Workload workload) : ModelRun(workload)
    {
        public override Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken) => Task.Run(() =>
        {
            for (var i = range.Start; i < range.End; i++)
            {
                recorder.Ingest(i);
                Applier.Apply(i, DateTimeOffset.UtcNow);
                recorder.Applied1(i, Stopwatch.GetTimestamp());
            }
        }, cancellationToken);
    }
}
