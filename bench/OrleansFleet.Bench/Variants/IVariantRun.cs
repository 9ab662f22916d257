using System.Diagnostics;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>One prepared run of a variant.</summary>
public interface IVariantRun : IAsyncDisposable
{
    /// <summary>The process whose working set is this run's (this one, or the host child process).</summary>
    Process Process { get; }

    /// <summary>The timed part: ingest every event of <paramref name="events"/> and return once all are applied.</summary>
    Task ExecuteAsync(int events, LatencyRecorder recorder, CancellationToken cancellationToken);

    /// <summary>Checks the devices' final state (untimed).</summary>
    Task<RunOutcome> VerifyAsync(CancellationToken cancellationToken);
}
