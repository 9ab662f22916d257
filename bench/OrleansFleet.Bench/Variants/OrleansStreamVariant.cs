using System.Diagnostics;
using Orleans.Streams;
using OrleansFleet.Bench.Measurement;
using OrleansFleet.Streaming;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// OrleansFleet's ingestion path through the telemetry stream, as the host runs it: the producer publishes one
/// <see cref="TelemetryBatch"/> per device with <c>IAsyncStream.OnNextAsync</c> on the device's stream (namespace
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
        StreamTransport.Memory => "OrleansFleet through the memory stream",
        _ => "OrleansFleet through Redis Streams (durable, local redis-server)",
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
        private readonly IDeviceGrain[] _grains;
        private readonly IAsyncStream<TelemetryBatch>[] _streams;
        private DeviceBatcher? _batcher;
        private long _errors;

        public Run(Workload workload, BenchSilo silo, StreamBackend backend, StreamApplyAudit audit)
        {
            _workload = workload;
            _silo = silo;
            _backend = backend;
            _audit = audit;
            var provider = silo.Client.GetStreamProvider(TelemetryStream.ProviderName);
            _grains = [.. Enumerable.Range(0, workload.Plan.Count).Select(d => silo.Grains.GetGrain<IDeviceGrain>(workload.Plan.Id(d)))];
            // One stream per partition now; this variant still publishes one device's batch per append (the bench
            // branch moves it to the ingestor's one append per partition).
            _streams = [.. Enumerable.Range(0, workload.Plan.Count)
                .Select(d => provider.GetStream<TelemetryBatch>(TelemetryPartitionStream.Of(DevicePartitioner.PartitionOf(workload.Plan.Id(d), StreamBackend.Partitions))))];
        }

        public Process Process { get; } = Process.GetCurrentProcess();

        public Task ExecuteAsync(int events, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            _audit.Recorder = recorder;
            _batcher = new DeviceBatcher(_streams.Length, (device, batch, count) => _ = PublishAsync(device, batch, count, recorder));
            return BatchedProducer.RunAsync(_workload, events, _batcher, recorder, cancellationToken);
        }

        public Task<RunOutcome> VerifyAsync(CancellationToken cancellationToken) =>
            DeviceGrainVerifier.VerifyAsync(_workload, _grains, new RunOutcome
            {
                OrderViolations = _audit.Violations,
                OrderMethod = "grain call filter on the stream delivery",
                Dispatches = _batcher?.Dispatches ?? 0,
                Errors = Interlocked.Read(ref _errors),
            }, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            // Silo first: its pulling agents read from the backend until they stop.
            await _silo.DisposeAsync();
            await _backend.DisposeAsync();
            Process.Dispose();
        }

        private async Task PublishAsync(int device, int[] batch, int count, LatencyRecorder recorder)
        {
            var events = new TelemetryEvent[count];
            for (var k = 0; k < count; k++)
            {
                events[k] = _workload.Events[batch[k]];
            }

            try
            {
                await _streams[device].OnNextAsync(new TelemetryBatch(events));
            }
            catch (Exception)
            {
                // Not accepted, so never delivered: counted as an error and as applied so the run ends; the
                // verification then shows the device short of its last seq.
                Interlocked.Increment(ref _errors);
                recorder.AppliedMany(batch.AsSpan(0, count), Stopwatch.GetTimestamp());
            }

            _batcher!.Completed(device, batch);
        }
    }
}
