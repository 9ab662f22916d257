using System.Diagnostics;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// Sends a <see cref="BatchPlan"/>'s batches in plan order with at most one batch in flight per device: a device's next
/// batch leaves only when its previous one is done, so batches never overtake each other (Orleans does not keep the
/// order of concurrent calls to one grain). A batch counts as ingested when its turn in the plan comes, so time spent
/// waiting behind the device's previous batch is part of its latency. At most <see cref="MaxOutstanding"/> events are
/// ingested but not yet applied.
/// </summary>
public sealed class PlannedProducer
{
    /// <summary>The most events ingested but not yet applied.</summary>
    public const int MaxOutstanding = 262_144;

    private readonly BatchPlan _plan;
    private readonly Func<PlannedBatch, Task> _send;
    private readonly LatencyRecorder _recorder;
    private readonly bool _appliedOnReturn;
    private readonly Queue<int>?[] _waiting;
    private readonly bool[] _inFlight;
    // Per device: the batch being sent, its task, and the continuation that resumes the device when it completes.
    private readonly int[] _current;
    private readonly Task?[] _sending;
    private readonly Action?[] _resume;
    private long _errors;

    /// <summary>Creates a producer for <paramref name="plan"/>.</summary>
    /// <param name="plan">The batches.</param>
    /// <param name="devices">How many devices the workload has.</param>
    /// <param name="send">Sends one batch; the task completes when the batch is done (applied, or accepted by a stream).</param>
    /// <param name="recorder">Where ingest and apply times go.</param>
    /// <param name="appliedOnReturn">
    /// Whether a batch counts as applied when <paramref name="send"/> returns (a grain call or a persist); false for
    /// the stream rows, whose applies are recorded where the grain receives the delivery.
    /// </param>
    public PlannedProducer(BatchPlan plan, int devices, Func<PlannedBatch, Task> send, LatencyRecorder recorder, bool appliedOnReturn)
    {
        _plan = plan;
        _send = send;
        _recorder = recorder;
        _appliedOnReturn = appliedOnReturn;
        _waiting = new Queue<int>?[devices];
        _inFlight = new bool[devices];
        _current = new int[devices];
        _sending = new Task?[devices];
        _resume = new Action?[devices];
    }

    /// <summary>Calls made so far.</summary>
    public long Dispatches { get; private set; }

    /// <summary>Sends that threw (their events are counted as applied so the run ends; verification shows the loss).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>The row's own counts for the checks: its order audit's, and the producer's calls and errors, if it ran.</summary>
    public static RunOutcome Counts(PlannedProducer? producer, long orderViolations, string orderMethod) => new()
    {
        OrderViolations = orderViolations,
        OrderMethod = orderMethod,
        Dispatches = producer?.Dispatches ?? 0,
        Errors = producer?.Errors ?? 0,
    };

    /// <summary>Sends every batch and waits until every event is applied.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var ingested = 0L;
        for (var b = 0; b < _plan.Batches.Length; b++)
        {
            while (ingested - _recorder.Applied > MaxOutstanding)
            {
                await Task.Delay(1, cancellationToken);
            }

            var batch = _plan.Batches[b];
            foreach (var index in _plan.EventsOf(batch))
            {
                _recorder.Ingest(index);
            }

            ingested += batch.Count;
            Release(b);
        }

        await _recorder.AllApplied.WaitAsync(cancellationToken);
        Dispatches = _plan.Batches.Length;
    }

    private void Release(int b)
    {
        var device = _plan.Batches[b].Device;
        lock (_inFlight)
        {
            if (_inFlight[device])
            {
                (_waiting[device] ??= new Queue<int>()).Enqueue(b);
                return;
            }

            _inFlight[device] = true;
        }

        Send(device, b);
    }

    /// <summary>
    /// Sends device <paramref name="device"/>'s batch <paramref name="b"/>, then each batch that queued behind it, one at
    /// a time. Not an async method: that would allocate a state machine per batch (a device is mostly idle when its
    /// next batch's turn comes, so nearly every batch starts one), which every row would pay in its B/event. A send
    /// still running gets the device's one cached continuation instead, which resumes here.
    /// </summary>
    private void Send(int device, int b)
    {
        while (true)
        {
            Task sent;
            try
            {
                sent = _send(_plan.Batches[b]);
            }
            catch (Exception ex)
            {
                sent = Task.FromException(ex);
            }

            if (!sent.IsCompleted)
            {
                _current[device] = b;
                _sending[device] = sent;
                sent.GetAwaiter().UnsafeOnCompleted(_resume[device] ??= () => Resume(device));
                return;
            }

            if (!Finish(device, b, sent, out b))
            {
                return;
            }
        }
    }

    private void Resume(int device)
    {
        var sent = _sending[device]!;
        _sending[device] = null;
        if (Finish(device, _current[device], sent, out var next))
        {
            Send(device, next);
        }
    }

    /// <summary>Records batch <paramref name="b"/> as done; whether the device has a <paramref name="next"/> one waiting.</summary>
    private bool Finish(int device, int b, Task sent, out int next)
    {
        var batch = _plan.Batches[b];
        if (sent.IsCompletedSuccessfully)
        {
            if (_appliedOnReturn)
            {
                _recorder.AppliedMany(_plan.EventsOf(batch), Stopwatch.GetTimestamp());
            }
        }
        else
        {
            // Observed here, so the failure is counted rather than left unobserved on the task.
            _ = sent.Exception;
            Interlocked.Increment(ref _errors);
            _recorder.AppliedMany(_plan.EventsOf(batch), Stopwatch.GetTimestamp());
        }

        lock (_inFlight)
        {
            if (_waiting[device] is not { Count: > 0 } queue)
            {
                _inFlight[device] = false;
                next = -1;
                return false;
            }

            next = queue.Dequeue();
            return true;
        }
    }
}
