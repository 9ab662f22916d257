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

        public async Task<RunOutcome> VerifyAsync(CancellationToken cancellationToken)
        {
            long applied = 0, held = 0;
            int mismatches = 0, alarms = 0;
            var historyLimit = BenchFleet.Options().AlarmHistoryLimit;
            await Parallel.ForEachAsync(Enumerable.Range(0, _grains.Length), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (d, _) =>
            {
                var sent = workload.Source.LastSeq(d);
                var view = await _grains[d].GetViewAsync();
                if (view is null)
                {
                    if (sent > 0)
                    {
                        Interlocked.Increment(ref mismatches);
                    }

                    return;
                }

                Interlocked.Add(ref applied, view.Counters.Applied);
                Interlocked.Add(ref held, view.Pending);
                if (view.LastSeq != sent || view.Counters.Gaps > 0)
                {
                    Interlocked.Increment(ref mismatches);
                }

                var all = await _grains[d].GetAlarmsAsync(includeCleared: true) ?? [];
                var open = view.ActiveAlarms.Count(a => a.RuleId == "temperature-high");
                var visible = all.Count(a => a.RuleId == "temperature-high");
                if (!Simulator.DeviceScript.AlarmsMatch(workload.Plan.Role(d), sent, open, visible, historyLimit))
                {
                    Interlocked.Increment(ref alarms);
                }
            });

            return new RunOutcome
            {
                Applied = applied,
                OrderViolations = audit.Violations,
                OrderMethod = "incoming grain call filter",
                LastSeqMismatches = mismatches,
                Held = held,
                AlarmMismatches = alarms,
                Dispatches = _batcher?.Dispatches ?? 0,
                Errors = Interlocked.Read(ref _errors),
            };
        }

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
