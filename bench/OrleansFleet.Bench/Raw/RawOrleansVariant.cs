using System.Diagnostics;
using OrleansFleet.Bench.Measurement;
using OrleansFleet.Bench.Variants;

namespace OrleansFleet.Bench.Raw;

/// <summary>
/// The raw-Orleans reference rows: the plan's per-device batches, the same calls the OrleansFleet direct row makes,
/// sent to a bench-only grain that runs the same domain code and nothing else, in memory or with one memory-storage
/// write per call. Same silo configuration, same producer, same run: each OrleansFleet row is read as a ratio to the
/// in-memory one.
/// </summary>
public sealed class RawOrleansVariant(bool stored) : IBenchVariant
{
    /// <summary>The key of the in-memory row, the denominator of every ratio in the report.</summary>
    public const string MemoryKey = "raw-orleans-memory";

    /// <inheritdoc />
    public string Key => stored ? "raw-orleans-stored" : MemoryKey;

    /// <inheritdoc />
    public string Name => stored ? "raw Orleans grain, one memory-storage write per call, steady state" : "raw Orleans grain, in memory (no state), steady state";

    /// <inheritdoc />
    public bool InProcess => true;

    /// <inheritdoc />
    public async Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken)
    {
        var audit = new ApplyOrderAudit(workload.Index);
        var silo = await BenchSilo.StartAsync(audit, binaryStorage: true, cancellationToken);
        return new Run(workload, silo, audit, stored);
    }

    private sealed class Run(Workload workload, BenchSilo silo, ApplyOrderAudit audit, bool stored) : IVariantRun
    {
        private readonly IRawDeviceGrain[] _grains = [.. Enumerable.Range(0, workload.Plan.Count).Select(d => stored
            ? (IRawDeviceGrain)silo.Grains.GetGrain<IRawStoredDeviceGrain>(workload.Plan.Id(d))
            : silo.Grains.GetGrain<IRawMemoryDeviceGrain>(workload.Plan.Id(d)))];
        private PlannedProducer? _producer;

        public Process Process { get; } = Process.GetCurrentProcess();

        public Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            var plan = workload.Batches(range);
            _producer = new PlannedProducer(plan, _grains.Length, batch => _grains[batch.Device].ApplyAsync(new RawBatch(workload.EventsOf(plan, batch))), recorder, appliedOnReturn: true);
            return _producer.RunAsync(cancellationToken);
        }

        public Task<RunOutcome> VerifyAsync(EventRange sent, CancellationToken cancellationToken) =>
            DeviceCheck.CollectAsync(workload, async d => await _grains[d].CheckAsync(), sent, PlannedProducer.Counts(_producer, audit.Violations, "incoming grain call filter"), cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await silo.DisposeAsync();
            Process.Dispose();
        }
    }
}
