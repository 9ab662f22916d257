using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// The producer side shared by the actor and grain variants: ingests events in workload order into a
/// <see cref="DeviceBatcher"/>, flushes idle devices every <see cref="FlushWindow"/> events, and waits while too many
/// events are outstanding (bounded memory, and latency that measures the system rather than an unbounded queue).
/// </summary>
public static class BatchedProducer
{
    /// <summary>Events ingested between flushes of idle devices' buffers.</summary>
    public const int FlushWindow = 65_536;

    /// <summary>The most events ingested but not yet applied.</summary>
    public const int MaxOutstanding = 262_144;

    /// <summary>Produces the events of <paramref name="range"/> and waits until all are applied.</summary>
    public static async Task RunAsync(Workload workload, EventRange range, DeviceBatcher batcher, LatencyRecorder recorder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(batcher);
        ArgumentNullException.ThrowIfNull(recorder);
        for (var i = range.Start; i < range.End; i++)
        {
            while (i - range.Start - recorder.Applied > MaxOutstanding)
            {
                // Backpressure: everything buffered must be able to leave, so flush before waiting.
                batcher.FlushIdle();
                await Task.Delay(1, cancellationToken);
            }

            recorder.Ingest(i);
            batcher.Add(workload.DeviceOf[i], i);
            if ((i + 1 - range.Start) % FlushWindow == 0)
            {
                batcher.FlushIdle();
            }
        }

        batcher.FlushIdle();
        await recorder.AllApplied.WaitAsync(cancellationToken);
    }
}
