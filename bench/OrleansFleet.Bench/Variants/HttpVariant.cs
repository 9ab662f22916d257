using System.Diagnostics;
using OrleansFleet.Bench.Measurement;
using OrleansFleet.Simulator;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// OrleansFleet end to end: the built host as a child process on loopback, driven by the simulator's load generator
/// (8 senders, devices partitioned over them, 2,000 events per request). The timed part runs from the first request
/// to the last event applied: after the last 202 it reads devices back until every one has applied what it was sent.
/// Order, loss and alarms are then checked by reading every device back over the API, as the simulator does against
/// a real deployment.
/// </summary>
/// <remarks>
/// The 202 means accepted into the stream, not applied, and the host's grains are out of this process's reach, so
/// ingest-to-apply latency is sampled: a poller reads a few dozen devices over the API every
/// <see cref="SampleInterval"/> and stamps each of their events applied when the device's lastSeq first covers it.
/// The paced row offers events at <see cref="HttpPace.RateFor"/> instead of as fast as the API accepts them, for the
/// latency target.
/// </remarks>
public sealed class HttpVariant(HttpPace? pace = null) : IBenchVariant
{
    private const int Senders = 8;
    private const int BatchSize = 2_000;
    private const int SampledDevices = 32;

    // 32 devices every 50 ms is about 640 reads/s against the host: a small load beside the ingest, and a resolution
    // well inside the 1 s latency target.
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Whether this is the paced latency row.</summary>
    public bool Paced => pace is not null;

    /// <inheritdoc />
    public string Key => Paced ? "orleans-http-paced" : "orleans-http";

    /// <inheritdoc />
    public string Name => Paced ? "OrleansFleet HTTP end to end, steady state, paced at half of min(target, measured)" : "OrleansFleet HTTP end to end, steady state";

    /// <inheritdoc />
    public bool InProcess => false;

    /// <inheritdoc />
    public bool UniformOnly => Paced;

    /// <inheritdoc />
    public string LatencyMethod => $"applied, sampled on {SampledDevices} devices polled over the API every {SampleInterval.TotalMilliseconds:N0} ms";

    /// <inheritdoc />
    public async Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken)
    {
        var host = await HostProcess.StartAsync(TimeSpan.FromSeconds(90), cancellationToken);
        return new Run(workload, host, pace?.RateFor(workload.Shape));
    }

    private sealed class Run(Workload workload, HostProcess host, double? rate) : IVariantRun
    {
        private readonly FleetApiClient _client = FleetApiClient.Create(host.BaseUrl, Senders + 16, TimeSpan.FromSeconds(60));
        private LoadGenerator? _generator;
        private long _requests;
        private long _rejected;

        public Process Process => host.Process;

        public async Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            var sent = DeviceCheck.SentPerDevice(workload, new EventRange(0, range.End));
            using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampler = SampleAsync(range, recorder, stopSampling.Token);
            // A refused request is resent after its Retry-After until accepted: the run's time box bounds the retries,
            // and an event given up on would leave its device short and the row wrong.
            _generator = new LoadGenerator(_client, new LoadGeneratorOptions { Senders = Senders, BatchSize = BatchSize, MaxAttempts = int.MaxValue },
                (_, _) => recorder.AppliedUnsampled(1), cancellationToken);
            var clock = Stopwatch.StartNew();
            for (var i = range.Start; i < range.End; i++)
            {
                if (rate is { } r && (i - range.Start) % 256 == 0)
                {
                    var ahead = TimeSpan.FromSeconds((i - range.Start) / r) - clock.Elapsed;
                    if (ahead > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(ahead, cancellationToken);
                    }
                }

                recorder.Ingest(i);
                await _generator.SendAsync(workload.Events[i], workload.DeviceOf[i], i, cancellationToken);
            }

            await _generator.CompleteAsync();
            // The last call is the timed one: its requests are the row's average batch, its refusals its errors.
            _requests = _generator.Requests;
            _rejected = _generator.Rejected;
            await DrainAsync(sent, cancellationToken);
            await stopSampling.CancelAsync();
            await sampler;
        }

        public async Task<RunOutcome> VerifyAsync(EventRange sent, CancellationToken cancellationToken)
        {
            // Every device caught up in the timed part; one read-back pass checks order, loss and alarms.
            var verifier = new ReadBackVerifier(_client, concurrency: 32, alarmHistoryLimit: BenchFleet.Options().AlarmHistoryLimit);
            var report = await verifier.VerifyAsync(workload.Source, TimeSpan.Zero, cancellationToken);
            return new RunOutcome
            {
                Applied = sent.End - report.MissingEvents,
                OrderViolations = report.OrderViolations,
                OrderMethod = "read back over the API (devices with lastSeq ≠ sent or gaps)",
                LastSeqMismatches = report.OrderViolations + report.UnknownDevices,
                AlarmMismatches = report.UnexpectedAlarms,
                Dispatches = Interlocked.Read(ref _requests),
                Errors = Interlocked.Read(ref _rejected),
            };
        }

        public async ValueTask DisposeAsync()
        {
            _client.Http.Dispose();
            await host.DisposeAsync();
        }

        /// <summary>Reads devices back until each one's lastSeq reached what it was sent (bounded by the run's time box).</summary>
        private async Task DrainAsync(long[] sent, CancellationToken cancellationToken)
        {
            var behind = Enumerable.Range(0, sent.Length).Where(d => sent[d] > 0).ToList();
            while (behind.Count > 0)
            {
                var still = new System.Collections.Concurrent.ConcurrentBag<int>();
                await Parallel.ForEachAsync(behind, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (d, ct) =>
                {
                    if (await _client.GetDeviceAsync(workload.Plan.Id(d), ct) is not { } view || view.LastSeq < sent[d])
                    {
                        still.Add(d);
                    }
                });

                behind = [.. still];
                if (behind.Count > 0)
                {
                    await Task.Delay(DrainInterval, cancellationToken);
                }
            }
        }

        /// <summary>Polls the sampled devices and records each of their events' latency when it first shows as applied.</summary>
        private async Task SampleAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            var perDevice = new Dictionary<int, List<int>>();
            for (var i = range.Start; i < range.End; i++)
            {
                var d = workload.DeviceOf[i];
                if (perDevice.TryGetValue(d, out var list))
                {
                    list.Add(i);
                }
                else if (perDevice.Count < SampledDevices && d % Math.Max(1, workload.Plan.Count / SampledDevices) == 0)
                {
                    perDevice[d] = [i];
                }
            }

            var next = perDevice.Keys.ToDictionary(d => d, _ => 0);
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    await Parallel.ForEachAsync(perDevice, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (entry, ct) =>
                    {
                        var (device, events) = entry;
                        if (next[device] >= events.Count || await _client.GetDeviceAsync(workload.Plan.Id(device), ct) is not { } view)
                        {
                            return;
                        }

                        var now = Stopwatch.GetTimestamp();
                        var k = next[device];
                        // Only events already handed to the generator can have been applied.
                        while (k < events.Count && workload.Events[events[k]].Seq <= view.LastSeq && recorder.IngestedAt(events[k]) != 0)
                        {
                            recorder.SampleLatency(now - recorder.IngestedAt(events[k]));
                            k++;
                        }

                        next[device] = k;
                    });
                    await Task.Delay(SampleInterval, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Sampling ends with the timed part.
            }
        }
    }
}
