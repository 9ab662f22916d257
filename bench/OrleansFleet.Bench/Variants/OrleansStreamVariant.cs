using System.Diagnostics;
using OrleansFleet.Bench.Measurement;
using OrleansFleet.Streaming;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// OrleansFleet's ingestion path through the telemetry stream, as the host runs it: the plan's per-device batches are
/// gathered into API-sized requests and appended through the provider's own <see cref="ITelemetryAppender"/>, one
/// append per partition per request, exactly as the API's <c>TelemetryIngestor</c> does (<see cref="RequestProducer"/>);
/// each partition's <c>TelemetryPartitionGrain</c> slices what it reads by device and the real <c>DeviceGrain</c>
/// applies its slice (order by seq, rules, alarms, the telemetry writer, checkpoints behind the partition's barrier).
/// </summary>
/// <remarks>
/// Devices are split over the producer's senders and each sender has one request in flight, so a device's events
/// enter the stream in seq order; an append completes when the provider accepted the request (admitted and queued in
/// the silo for memory streams, MULTI/EXEC confirmed by Redis, appendfsync always). An event counts as applied when
/// the device grain's call with its slice returns (<see cref="StreamApplyAudit"/>), so the latency is ingest to
/// applied device state, across the transport and the pulling agents. Ingest is throttled only by the provider's
/// admission control and the suite's bound on events not yet applied.
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
        private readonly ITelemetryAppender _appender;
        private RequestProducer? _producer;

        public Run(Workload workload, BenchSilo silo, StreamBackend backend, StreamApplyAudit audit)
        {
            _workload = workload;
            _silo = silo;
            _backend = backend;
            _audit = audit;
            _appender = StreamBackend.Appender(silo);
        }

        public Process Process { get; } = Process.GetCurrentProcess();

        public Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            _audit.Recorder = recorder;
            // An append completes when the provider accepted the request; the audit records the apply.
            _producer = new RequestProducer(_workload, _workload.Batches(range), _appender, recorder);
            return _producer.RunAsync(cancellationToken);
        }

        public Task<RunOutcome> VerifyAsync(EventRange sent, CancellationToken cancellationToken) =>
            DeviceGrainVerifier.VerifyAsync(_workload, _silo.Grains, sent, PlannedProducer.Counts(null, _audit.Violations, "grain call filter on the stream delivery") with { Dispatches = _producer?.Requests ?? 0, Errors = _producer?.Errors ?? 0 }, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            // Silo first: its pulling agents read from the backend until they stop.
            await _silo.DisposeAsync();
            await _backend.DisposeAsync();
            Process.Dispose();
        }
    }
}
