using System.Threading.Channels;
using OrleansFleet.Bench.Measurement;
using OrleansFleet.Streaming;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// Feeds a <see cref="BatchPlan"/> to the telemetry stream the way the API does: the plan's per-device batches are
/// gathered into requests of up to <see cref="RequestSize"/> events, and each request is one
/// <see cref="TelemetryAppenderExtensions.AppendRequestAsync"/> through the provider's own <see cref="ITelemetryAppender"/>
/// (one append per partition, all or none). Devices are split over <see cref="Senders"/> senders, as the HTTP row's load
/// generator splits them, and each sender has one request in flight, so a device's batches enter the stream in plan
/// order. A batch counts as ingested when its turn in the plan comes; applies are recorded where the device grain
/// receives its slice (<see cref="StreamApplyAudit"/>). At most <see cref="MaxOutstanding"/> events are ingested but
/// not yet applied.
/// </summary>
public sealed class RequestProducer(Workload workload, BatchPlan plan, ITelemetryAppender appender, LatencyRecorder recorder)
{
    /// <summary>Concurrent senders (the HTTP row's load generator has as many).</summary>
    public const int Senders = 8;

    /// <summary>
    /// How many events a sender gathers into one request (the HTTP row's request size); a request holds at most twice
    /// this less one, as a batch is added whole while the request is below it.
    /// </summary>
    public const int RequestSize = 2_000;

    /// <summary>The most events ingested but not yet applied.</summary>
    public const int MaxOutstanding = PlannedProducer.MaxOutstanding;

    private const int MaxAttempts = 100;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(20);

    private long _requests;
    private long _errors;

    /// <summary>Requests appended so far (resends not counted).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests refused on every attempt (their events are counted as applied so the run ends; verification shows the loss).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Sends every batch and waits until every event is applied.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var queues = new Channel<PlannedBatch>[Senders];
        var senders = new Task[Senders];
        for (var s = 0; s < Senders; s++)
        {
            queues[s] = Channel.CreateUnbounded<PlannedBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var reader = queues[s].Reader;
            senders[s] = Task.Run(() => SendLoopAsync(reader, cancellationToken), cancellationToken);
        }

        var ingested = 0L;
        foreach (var batch in plan.Batches)
        {
            while (ingested - recorder.Applied > MaxOutstanding)
            {
                await Task.Delay(1, cancellationToken);
            }

            foreach (var index in plan.EventsOf(batch))
            {
                recorder.Ingest(index);
            }

            ingested += batch.Count;
            // A device batch bigger than a request (the hot device of the Zipf shape) goes as consecutive requests of
            // its sender, which keeps its order; so no request is over twice the request size, within what the API
            // accepts (Fleet:Ingest:MaxEventsPerRequest), which every stream decoder enforces again.
            for (var offset = 0; offset < batch.Count; offset += RequestSize)
            {
                queues[batch.Device % Senders].Writer.TryWrite(batch with { Offset = batch.Offset + offset, Count = Math.Min(RequestSize, batch.Count - offset) });
            }
        }

        foreach (var queue in queues)
        {
            queue.Writer.TryComplete();
        }

        await Task.WhenAll(senders);
        await recorder.AllApplied.WaitAsync(cancellationToken);
    }

    private async Task SendLoopAsync(ChannelReader<PlannedBatch> reader, CancellationToken cancellationToken)
    {
        var request = new List<TelemetryEvent>(RequestSize + BatchPlan.MaxBatch);
        var batches = new List<PlannedBatch>();
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            // Whatever is queued, up to a request's worth (a queued batch, at most a request's worth, is not split): natural batching.
            while (request.Count < RequestSize && reader.TryRead(out var batch))
            {
                batches.Add(batch);
                foreach (var index in plan.EventsOf(batch))
                {
                    request.Add(workload.Events[index]);
                }
            }

            if (!await AppendWithRetryAsync(request, cancellationToken))
            {
                Interlocked.Increment(ref _errors);
                foreach (var batch in batches)
                {
                    recorder.AppliedMany(plan.EventsOf(batch), System.Diagnostics.Stopwatch.GetTimestamp());
                }
            }

            Interlocked.Increment(ref _requests);
            request.Clear();
            batches.Clear();
        }
    }

    private async Task<bool> AppendWithRetryAsync(List<TelemetryEvent> request, CancellationToken cancellationToken)
    {
        // A refused request (the stream's admission budget full, Redis unavailable) was not taken: send it again after
        // a pause, as an API client does after a 503. A resend of a request that did land is dropped by seq.
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                await appender.AppendRequestAsync(request, cancellationToken);
                return true;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt == MaxAttempts)
                {
                    return false;
                }

                await Task.Delay(RetryDelay, cancellationToken);
            }
        }

        return false;
    }
}
