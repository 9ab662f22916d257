using System.Diagnostics;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// OrleansFleet's device grains called directly, as the co-hosted API's ingestor calls them: the plan's per-device
/// batches (<see cref="TelemetryBatch"/>, marked immutable so a local call does not deep-copy it), at most one in
/// flight per device. Each call runs the real <c>DeviceGrain</c>: order by seq, rules and alarms, its persistence on
/// memory storage, the telemetry writer, the fleet index and the offline reminder.
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
    public string Name => jsonStorage ? "OrleansFleet direct, steady state, JSON memory storage (diagnostic)" : "OrleansFleet direct grain calls, steady state";

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
        private readonly IDeviceGrain[] _grains = [.. Enumerable.Range(0, workload.Plan.Count).Select(d => silo.Grains.GetGrain<IDeviceGrain>(workload.Plan.Id(d)))];
        private PlannedProducer? _producer;

        public Process Process { get; } = Process.GetCurrentProcess();

        public Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            var plan = workload.Batches(range);
            _producer = new PlannedProducer(plan, _grains.Length, batch => _grains[batch.Device].ApplyAsync(new TelemetryBatch(workload.EventsOf(plan, batch))), recorder, appliedOnReturn: true);
            return _producer.RunAsync(cancellationToken);
        }

        public Task<RunOutcome> VerifyAsync(EventRange sent, CancellationToken cancellationToken) =>
            DeviceGrainVerifier.VerifyAsync(workload, silo.Grains, sent, PlannedProducer.Counts(_producer, audit.Violations, "incoming grain call filter"), cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await silo.DisposeAsync();
            Process.Dispose();
        }
    }
}
