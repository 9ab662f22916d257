using System.Diagnostics;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// OrleansFleet's device grains called directly, as the co-hosted API's ingestor calls them: per-device batches
/// (<see cref="TelemetryBatch"/>, marked immutable so a local call does not deep-copy it), at most one in flight per
/// device. Each call runs the real <c>DeviceGrain</c>: order by seq, rules and alarms, one state write per batch to
/// memory storage, the fleet index update and the offline reminder.
/// </summary>
/// <remarks>
/// With <c>jsonStorage</c> it is a diagnostic row: the same path with memory storage keeping state through Orleans'
/// default JSON serializer instead of the binary one the host uses, to show what the storage serializer costs.
/// </remarks>
public sealed class OrleansDirectVariant(bool jsonStorage = false) : IBenchVariant
{
    /// <inheritdoc />
    public string Key => jsonStorage ? "orleans-direct-json" : "orleans-direct";

    /// <inheritdoc />
    public string Name => jsonStorage ? "OrleansFleet direct, JSON memory storage (diagnostic)" : "OrleansFleet grains, direct calls, batched";

    /// <inheritdoc />
    public bool InProcess => true;

    /// <inheritdoc />
    public async Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken)
    {
        var audit = new ApplyOrderAudit(workload.Index);
        var silo = await BenchSilo.StartAsync(audit, binaryStorage: !jsonStorage, cancellationToken);
        return new Run(workload, silo, audit);
    }

    private sealed class Run(Workload workload, BenchSilo silo, ApplyOrderAudit audit) : IVariantRun
    {
        private readonly IDeviceGrain[] _grains = Enumerable.Range(0, workload.Plan.Count)
            .Select(d => silo.Grains.GetGrain<IDeviceGrain>(workload.Plan.Id(d))).ToArray();
        private DeviceBatcher? _batcher;
        private long _errors;

        public Process Process { get; } = Process.GetCurrentProcess();

        public Task ExecuteAsync(int events, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            _batcher = new DeviceBatcher(_grains.Length, (device, batch, count) => _ = SendAsync(device, batch, count, recorder));
            return BatchedProducer.RunAsync(workload, events, _batcher, recorder, cancellationToken);
        }

        public Task<RunOutcome> VerifyAsync(CancellationToken cancellationToken) =>
            DeviceGrainVerifier.VerifyAsync(workload, _grains, new RunOutcome
            {
                OrderViolations = audit.Violations,
                OrderMethod = "incoming grain call filter",
                Dispatches = _batcher?.Dispatches ?? 0,
                Errors = Interlocked.Read(ref _errors),
            }, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await silo.DisposeAsync();
            Process.Dispose();
        }

        private async Task SendAsync(int device, int[] batch, int count, LatencyRecorder recorder)
        {
            var events = new TelemetryEvent[count];
            for (var k = 0; k < count; k++)
            {
                events[k] = workload.Events[batch[k]];
            }

            try
            {
                await _grains[device].ApplyAsync(new TelemetryBatch(events));
            }
            catch (Exception)
            {
                // Counted, and the events counted as applied so the run ends; verification then shows what is missing.
                Interlocked.Increment(ref _errors);
            }

            recorder.AppliedMany(batch.AsSpan(0, count), Stopwatch.GetTimestamp());
            _batcher!.Completed(device, batch);
        }
    }
}
