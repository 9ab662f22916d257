using System.Diagnostics;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// OrleansFleet's ingestion path through the telemetry stream, as the host runs it: the producer publishes each of the
/// plan's per-device batches as one <see cref="TelemetryBatch"/> with <c>IAsyncStream.OnNextAsync</c> on the device's stream (namespace
/// "telemetry", key = device id), exactly as <c>TelemetryIngestor</c> does, and the real <c>DeviceGrain</c> applies
/// it through its implicit subscription (order by seq, rules, alarms, the telemetry writer, one state write).
/// </summary>
/// <remarks>
/// Per device, one publish is in flight at a time (as one API request per device would be), so items enter the stream
/// in seq order; a publish completes when the provider accepted the item (queued in the silo for memory streams,
/// XADD confirmed by Redis). An event counts as applied when the grain's stream
/// delivery returns (<see cref="StreamApplyAudit"/>), so the latency is ingest to persisted device state, across the
/// transport and the pulling agents. Ingest is throttled only by the suite's bound on events not yet applied.
/// </remarks>
public sealed class OrleansStreamVariant(StreamTransport transport) : IBenchVariant
{
    /// <inheritdoc />
    public string Key => transport switch
    {
        StreamTransport.Memory => "orleans-stream-memory",
        _ => "orleans-stream-redis",
    };

    /// <inheritdoc />
    public string Name => transport switch
    {
        StreamTransport.Memory => "OrleansFleet memory stream, steady state",
        _ => "OrleansFleet Redis Streams (durable, local redis-server), steady state",
    };

    /// <inheritdoc />
    public bool InProcess => true;

    /// <inheritdoc />
    public bool NeedsServices => transport != StreamTransport.Memory;

    /// <inheritdoc />
    public async Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken)
    {
        var audit = new StreamApplyAudit(workload);
        var backend = await StreamBackend.StartAsync(transport);
        try
        {
            var silo = await BenchSilo.StartAsync(audit, binaryStorage: true, cancellationToken, backend.Configure);
            return new Run(workload, silo, backend, audit);
        }
        catch
        {
            await backend.DisposeAsync();
            throw;
        }
    }

    private sealed class Run : IVariantRun
    {
        private readonly Workload _workload;
        private readonly BenchSilo _silo;
        private readonly StreamBackend _backend;
        private readonly StreamApplyAudit _audit;
        private readonly Func<int, TelemetryEvent[], Task> _publish;
        private PlannedProducer? _producer;

        public Run(Workload workload, BenchSilo silo, StreamBackend backend, StreamApplyAudit audit)
        {
            _workload = workload;
            _silo = silo;
            _backend = backend;
            _audit = audit;
            _publish = StreamBackend.Publisher(silo.Client, workload);
        }

        public Process Process { get; } = Process.GetCurrentProcess();

        public Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            _audit.Recorder = recorder;
            var plan = _workload.Batches(range);
            // A publish completes when the provider accepted the item; the audit records the apply.
            _producer = new PlannedProducer(plan, _workload.Plan.Count, batch => _publish(batch.Device, _workload.EventsOf(plan, batch)), recorder, appliedOnReturn: false);
            return _producer.RunAsync(cancellationToken);
        }

        public Task<RunOutcome> VerifyAsync(EventRange sent, CancellationToken cancellationToken) =>
            DeviceGrainVerifier.VerifyAsync(_workload, _silo.Grains, sent, PlannedProducer.Counts(_producer, _audit.Violations, "grain call filter on the stream delivery"), cancellationToken);

        public async ValueTask DisposeAsync()
        {
            // Silo first: its pulling agents read from the backend until they stop.
            await _silo.DisposeAsync();
            await _backend.DisposeAsync();
            Process.Dispose();
        }
    }
}
