using System.Diagnostics;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>Base of the in-process baselines: a fresh <see cref="DeviceApplier"/> per run, verified from its models.</summary>
public abstract class ModelRun(Workload workload) : IVariantRun
{
    /// <summary>The workload.</summary>
    protected Workload Workload { get; } = workload;

    /// <summary>The devices' domain code.</summary>
    protected DeviceApplier Applier { get; } = new(workload);

    /// <summary>Grain calls, messages or chunks used, when the variant batches.</summary>
    protected long Dispatches { get; set; }

    /// <inheritdoc />
    public Process Process { get; } = Process.GetCurrentProcess();

    /// <inheritdoc />
    public abstract Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual Task<RunOutcome> VerifyAsync(EventRange sent, CancellationToken cancellationToken) => Task.FromResult(Applier.Verify(sent, Dispatches));

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        Process.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
