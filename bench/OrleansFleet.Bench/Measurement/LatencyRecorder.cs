using System.Diagnostics;

namespace OrleansFleet.Bench.Measurement;

/// <summary>
/// Ingest-to-apply latency of every event, in preallocated arrays indexed by the event's workload index, so recording
/// allocates nothing and does not distort the allocation figures. Also counts applied events for progress and for
/// knowing when a run is done. Covers one <see cref="EventRange"/>; events outside it (a late stream delivery of the
/// warm-up) are ignored.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly long[] _ingest;
    private readonly long[] _latency;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly EventRange _range;
    private long _applied;
    private long _sampled = -1;

    /// <summary>Creates a recorder for the events of <paramref name="range"/>.</summary>
    public LatencyRecorder(EventRange range)
    {
        _range = range;
        _ingest = new long[range.Count];
        _latency = new long[range.Count];
        if (range.Count == 0)
        {
            _done.SetResult();
        }
    }

    /// <summary>The events this recorder covers.</summary>
    public EventRange Range => _range;

    /// <summary>Events applied so far.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Completes when every event has been applied.</summary>
    public Task AllApplied => _done.Task;

    /// <summary>Marks event <paramref name="index"/> as handed to the variant now.</summary>
    public void Ingest(int index) => _ingest[index - _range.Start] = Stopwatch.GetTimestamp();

    /// <summary>Marks event <paramref name="index"/> as applied at <paramref name="now"/>.</summary>
    public void Applied1(int index, long now)
    {
        _latency[index - _range.Start] = now - _ingest[index - _range.Start];
        Count(1);
    }

    /// <summary>Marks events as applied at <paramref name="now"/>, counting them once.</summary>
    public void AppliedMany(ReadOnlySpan<int> indices, long now)
    {
        var counted = 0;
        foreach (var index in indices)
        {
            if (_range.Contains(index))
            {
                _latency[index - _range.Start] = now - _ingest[index - _range.Start];
                counted++;
            }
        }

        Count(counted);
    }

    /// <summary>
    /// Counts events as applied without a latency of their own (the HTTP row sees applies only on the devices it
    /// samples; their latencies go through <see cref="SampleLatency"/>).
    /// </summary>
    public void AppliedUnsampled(int count) => Count(count);

    /// <summary>Records the latency of one sampled event; percentiles then come from the samples only.</summary>
    public void SampleLatency(long latencyTicks)
    {
        var slot = Interlocked.Increment(ref _sampled);
        if (slot < _latency.Length)
        {
            _latency[slot] = latencyTicks;
        }
    }

    /// <summary>The ingest timestamp of event <paramref name="index"/>.</summary>
    public long IngestedAt(int index) => _ingest[index - _range.Start];

    /// <summary>The 50th and 99th percentiles of the recorded (or sampled) latencies, in milliseconds.</summary>
    public (double P50, double P99) Percentiles()
    {
        var sampled = Interlocked.Read(ref _sampled) + 1;
        long[] sorted;
        if (sampled > 0)
        {
            sorted = _latency.AsSpan(0, (int)Math.Min(sampled, _latency.Length)).ToArray();
        }
        else
        {
            // A run cut short by its timeout applied only some events, not a prefix: take the ones that have a latency.
            sorted = Applied >= _range.Count ? _latency.ToArray() : [.. _latency.Where(l => l != 0)];
        }

        if (sorted.Length == 0)
        {
            return (double.NaN, double.NaN);
        }

        Array.Sort(sorted);
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling((p / 100) * sorted.Length) - 1, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
        return (At(50), At(99));
    }

    private void Count(int n)
    {
        if (Interlocked.Add(ref _applied, n) >= _range.Count)
        {
            _done.TrySetResult();
        }
    }
}
