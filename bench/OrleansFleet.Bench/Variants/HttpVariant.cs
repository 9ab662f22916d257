using System.Diagnostics;
using OrleansFleet.Bench.Measurement;
using OrleansFleet.Simulator;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// OrleansFleet end to end: the built host as a child process on loopback, driven by the simulator's load generator
/// (8 senders, devices partitioned over them, 2,000 events per request). Latency runs from the moment an event enters
/// the generator to the 202, which the API answers once the telemetry stream accepted the events (with the host's
/// embedded memory streams: queued in the silo), not when the grains applied them. Order and loss are checked by
/// reading every device back over the API, as the simulator does against a real deployment, after the stream drained.
/// </summary>
public sealed class HttpVariant : IBenchVariant
{
    private const int Senders = 8;
    private const int BatchSize = 2_000;

    /// <summary>How long the read-back waits for the host's stream to deliver what it accepted.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public string Key => "orleans-http";

    /// <inheritdoc />
    public string Name => "OrleansFleet over HTTP, end to end";

    /// <inheritdoc />
    public bool InProcess => false;

    /// <inheritdoc />
    public async Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken)
    {
        var host = await HostProcess.StartAsync(TimeSpan.FromSeconds(90), cancellationToken);
        return new Run(workload, host);
    }

    private sealed class Run(Workload workload, HostProcess host) : IVariantRun
    {
        private readonly FleetApiClient _client = FleetApiClient.Create(host.BaseUrl, Senders, TimeSpan.FromSeconds(60));
        private LoadGenerator? _generator;

        public Process Process => host.Process;

        public async Task ExecuteAsync(int events, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            _generator = new LoadGenerator(_client, new LoadGeneratorOptions { Senders = Senders, BatchSize = BatchSize },
                (item, now) => recorder.AppliedWithLatency(item.Index, now - item.IngestTimestamp), cancellationToken);
            for (var i = 0; i < events; i++)
            {
                await _generator.SendAsync(workload.Events[i], workload.DeviceOf[i], i, cancellationToken);
            }

            await _generator.CompleteAsync();
        }

        public async Task<RunOutcome> VerifyAsync(CancellationToken cancellationToken)
        {
            // The last 202 means accepted into the stream, not applied: read back until every device caught up, or
            // the deadline passes and whatever is still missing is reported.
            var verifier = new ReadBackVerifier(_client, concurrency: 32, alarmHistoryLimit: BenchFleet.Options().AlarmHistoryLimit);
            var drain = Stopwatch.StartNew();
            var report = await verifier.VerifyAsync(workload.Source, TimeSpan.Zero, cancellationToken);
            while (!report.Passed && drain.Elapsed < DrainTimeout)
            {
                await Task.Delay(500, cancellationToken);
                report = await verifier.VerifyAsync(workload.Source, TimeSpan.Zero, cancellationToken);
            }

            long sent = 0;
            for (var d = 0; d < workload.Plan.Count; d++)
            {
                sent += workload.Source.LastSeq(d);
            }

            return new RunOutcome
            {
                Applied = sent - report.MissingEvents,
                OrderViolations = report.OrderViolations,
                OrderMethod = "read back over the API (devices with lastSeq ≠ sent or gaps)",
                LastSeqMismatches = report.OrderViolations + report.UnknownDevices,
                AlarmMismatches = report.UnexpectedAlarms,
                Dispatches = _generator?.Requests ?? 0,
                Errors = _generator?.Rejected ?? 0,
            };
        }

        public async ValueTask DisposeAsync()
        {
            _client.Http.Dispose();
            await host.DisposeAsync();
        }
    }
}
