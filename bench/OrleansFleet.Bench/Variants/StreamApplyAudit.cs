using System.Buffers;
using System.Diagnostics;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;
using Orleans.Streams;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// Sees the slices the partition grains hand to device grains, for order and for ingest-to-apply latency. The stream
/// delivers a partition's batches to its <c>TelemetryPartitionGrain</c>, which calls <c>IDeviceGrain.ApplyAsync</c>
/// with each device's slice as a grain call; this incoming filter audits the order where the device is about to apply
/// the slice and stamps the apply time when the call returns: applied in memory, visible to queries (the checkpoint
/// and the stream's commit follow within <c>Fleet:Checkpoint:Interval</c>).
/// </summary>
/// <remarks>
/// Events are matched to the workload by (device, seq); seqs are 1, 2, … per device. An event delivered again
/// (a provider redelivers what was not acknowledged) is counted once, at its first successful apply.
/// </remarks>
public sealed class StreamApplyAudit : IIncomingGrainCallFilter
{
    private readonly ApplyOrderAudit _order;
    private readonly IReadOnlyDictionary<string, int> _deviceIndex;
    private readonly int[][] _eventIndex;
    private readonly long[] _lastApplied;
    private long _deliveries;

    /// <summary>Creates the audit for <paramref name="workload"/>.</summary>
    public StreamApplyAudit(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        _deviceIndex = workload.Index;
        _order = new ApplyOrderAudit(workload.Index);
        var counts = new int[workload.Plan.Count];
        foreach (var device in workload.DeviceOf)
        {
            counts[device]++;
        }

        _eventIndex = [.. counts.Select(c => new int[c])];
        var next = new int[counts.Length];
        for (var i = 0; i < workload.DeviceOf.Length; i++)
        {
            var device = workload.DeviceOf[i];
            _eventIndex[device][next[device]++] = i;
        }

        _lastApplied = new long[counts.Length];
    }

    /// <summary>Where applies are recorded; set when the timed part starts.</summary>
    public LatencyRecorder? Recorder { get; set; }

    /// <summary>Out-of-order events handed to device grains so far.</summary>
    public long Violations => _order.Violations;

    /// <summary>Stream deliveries of telemetry seen (the average batch per delivery).</summary>
    public long Deliveries => Interlocked.Read(ref _deliveries);

    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var batch = context.InterfaceMethod?.DeclaringType == typeof(IDeviceGrain) ? DeliveredBatch(context.Request) : null;
        if (batch is null || !_order.Audit(batch.Events, out var device))
        {
            await context.Invoke();
            return;
        }

        await context.Invoke();
        Interlocked.Increment(ref _deliveries);
        Applied(device, batch, Stopwatch.GetTimestamp());
    }

    /// <summary>The telemetry batch a stream delivery carries, if the call is one.</summary>
    private static TelemetryBatch? DeliveredBatch(IInvokable request)
    {
        for (var i = 0; i < request.GetArgumentCount(); i++)
        {
            switch (request.GetArgument(i))
            {
                case Immutable<object> { Value: TelemetryBatch batch }:
                    return batch;
                case TelemetryBatch batch:
                    return batch;
                case Immutable<IBatchContainer> { Value: { } container }:
                    return Single(container);
                case IBatchContainer container:
                    return Single(container);
            }
        }

        return null;
    }

    private static TelemetryBatch? Single(IBatchContainer container)
    {
        // The fleet's providers carry one batch per container (one stream item per append).
        foreach (var (item, _) in container.GetEvents<TelemetryBatch>())
        {
            return item;
        }

        return null;
    }

    private void Applied(int device, TelemetryBatch batch, long now)
    {
        var recorder = Recorder;
        if (recorder is null)
        {
            return;
        }

        // Inside the device's turn: deliveries to one device never run concurrently, so _lastApplied needs no lock.
        var indices = ArrayPool<int>.Shared.Rent(batch.Events.Count);
        var count = 0;
        var known = _eventIndex[device];
        foreach (var telemetry in batch.Events)
        {
            var seq = telemetry.Seq ?? 0;
            if (seq > _lastApplied[device] && seq <= known.Length)
            {
                _lastApplied[device] = seq;
                indices[count++] = known[seq - 1];
            }
        }

        recorder.AppliedMany(indices.AsSpan(0, count), now);
        ArrayPool<int>.Shared.Return(indices);
    }
}
