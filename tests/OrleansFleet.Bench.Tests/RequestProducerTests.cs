using System.Collections.Concurrent;
using OrleansFleet.Bench.Measurement;
using OrleansFleet.Bench.Variants;
using OrleansFleet.Simulator;
using OrleansFleet.Streaming;

namespace OrleansFleet.Bench.Tests;

/// <summary>
/// The stream rows' producer, against an appender that only records: a unit test of the request gathering around it
/// (the real appenders run in the smoke run and the provider suites).
/// </summary>
public sealed class RequestProducerTests
{
    [Fact]
    public async Task The_hot_device_batches_of_the_zipf_shape_go_in_requests_the_api_would_accept_in_device_order()
    {
        var workload = Workload.Generate(TrafficShape.Zipf, 4_000, 200_000, seed: 5);
        var plan = workload.Batches(workload.Measured);
        // Precondition: the plan has device batches bigger than a request (the hot device has a fifth of each window of five events per device).
        Assert.Contains(plan.Batches, b => b.Count > RequestProducer.RequestSize);

        var recorder = new LatencyRecorder(workload.Measured);
        var appender = new RecordingAppender(workload, recorder);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await new RequestProducer(workload, plan, appender, recorder).RunAsync(timeout.Token);

        Assert.All(appender.Requests, r => Assert.InRange(r.Count, 1, new TelemetryLimits().MaxEventsPerRequest));
        Assert.Equal(workload.Measured.Count, appender.Requests.Sum(r => r.Count));
        // Each device's events reach the stream in seq order: one sender per device, one request in flight per sender.
        foreach (var device in appender.Requests.SelectMany(r => r).GroupBy(e => e.DeviceId))
        {
            var seqs = device.Select(e => e.Seq!.Value).ToList();
            Assert.Equal(seqs.Order(), seqs);
        }
    }

    /// <summary>Records each request whole and marks its events applied, as a device grain's audit would.</summary>
    private sealed class RecordingAppender(Workload workload, LatencyRecorder recorder) : ITelemetryAppender
    {
        private readonly Dictionary<TelemetryEvent, int> _index = workload.Events
            .Select((e, i) => (e, i))
            .ToDictionary(p => p.e, p => p.i, (IEqualityComparer<TelemetryEvent>)ReferenceEqualityComparer.Instance);

        public ConcurrentQueue<List<TelemetryEvent>> Requests { get; } = new();

        public int PartitionCount => 4;

        public Task AppendAsync(IReadOnlyList<PartitionAppend> appends, CancellationToken cancellationToken)
        {
            var request = appends.SelectMany(a => a.Events).ToList();
            Requests.Enqueue(request);
            recorder.AppliedMany([.. request.Select(e => _index[e])], System.Diagnostics.Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        }
    }
}
