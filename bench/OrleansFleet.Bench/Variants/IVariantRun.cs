using System.Diagnostics;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>One prepared run of a variant.</summary>
public interface IVariantRun : IAsyncDisposable
{
    /// <summary>The process whose working set is this run's (this one, or the host child process).</summary>
    Process Process { get; }

    /// <summary>
    /// Ingests every event of <paramref name="range"/> and returns once all are applied. Called once for the untimed
    /// warm-up and once for the timed part, on the same instance, so the second call finds every device warm.
    /// </summary>
    Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken);

    /// <summary>Checks the devices' final state (untimed) against every event sent, <paramref name="sent"/> from index 0.</summary>
    Task<RunOutcome> VerifyAsync(EventRange sent, CancellationToken cancellationToken);
}
