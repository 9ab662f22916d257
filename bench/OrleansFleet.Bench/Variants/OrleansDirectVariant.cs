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
/// The diagnostic rows (left out of a full run unless <c>--diagnostics</c>) change one thing to show what it costs:
/// <see cref="DirectDiagnostic.JsonStorage"/> keeps state through Orleans' default JSON serializer instead of the
/// binary one the host uses; <see cref="DirectDiagnostic.NoCheckpoints"/> sets <c>Fleet:Checkpoint:Interval</c> to an
/// hour, so no device checkpoints in the timed part (it holds fewer than <c>Fleet:Checkpoint:MaxEvents</c> events per
/// device), which leaves the apply path alone: the difference to the measured row is what the 1 s checkpoint costs.
/// </remarks>
public sealed class OrleansDirectVariant(DirectDiagnostic diagnostic = DirectDiagnostic.None) : IBenchVariant
{
    /// <inheritdoc />
    public string Key => diagnostic switch
    {
        DirectDiagnostic.JsonStorage => "orleans-direct-json",
        DirectDiagnostic.NoCheckpoints => "orleans-direct-no-checkpoints",
        _ => "orleans-direct",
    };

    /// <inheritdoc />
    public string Name => diagnostic switch
    {
        DirectDiagnostic.JsonStorage => "OrleansFleet direct, steady state, JSON memory storage (diagnostic)",
        DirectDiagnostic.NoCheckpoints => "OrleansFleet direct, steady state, no checkpoint in the timed part (diagnostic)",
        _ => "OrleansFleet direct grain calls, steady state",
    };

    /// <inheritdoc />
    public bool InProcess => true;

    /// <inheritdoc />
    public async Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken)
    {
        var audit = new ApplyOrderAudit(workload.Index);
        var silo = await BenchSilo.StartAsync(
            audit,
            binaryStorage: diagnostic != DirectDiagnostic.JsonStorage,
            cancellationToken,
            checkpointInterval: diagnostic == DirectDiagnostic.NoCheckpoints ? TimeSpan.FromHours(1) : null);
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
