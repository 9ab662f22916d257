using System.Diagnostics;

namespace OrleansFleet.Bench.Measurement;

/// <summary>
/// Ingest-to-apply latency of every event, in preallocated arrays indexed by the event's workload index, so recording
/// allocates nothing and does not distort the allocation figures. Also counts applied events for progress and for
/// knowing when a run is done.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly long[] _ingest;
    private readonly long[] _latency;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _applied;

    /// <summary>Creates a recorder for <paramref name="events"/> events.</summary>
    public LatencyRecorder(int events)
    {
        _ingest = new long[events];
        _latency = new long[events];
        if (events == 0)
        {
            _done.SetResult();
        }
    }

    /// <summary>Events applied so far.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Completes when every event has been applied.</summary>
    public Task AllApplied => _done.Task;

    /// <summary>Marks event <paramref name="index"/> as handed to the variant now.</summary>
    public void Ingest(int index) => _ingest[index] = Stopwatch.GetTimestamp();

    /// <summary>Marks event <paramref name="index"/> as applied at <paramref name="now"/>.</summary>
    public void Applied1(int index, long now)
    {
        _latency[index] = now - _ingest[index];
        Count(1);
    }

    /// <summary>Marks events as applied at <paramref name="now"/>, counting them once.</summary>
    public void AppliedMany(ReadOnlySpan<int> indices, long now)
    {
        foreach (var index in indices)
        {
            _latency[index] = now - _ingest[index];
        }

        Count(indices.Length);
    }

    /// <summary>Records a latency measured elsewhere (the HTTP load generator stamps its own ingest time).</summary>
    public void AppliedWithLatency(int index, long latencyTicks)
    {
        _latency[index] = latencyTicks;
        Count(1);
    }

    /// <summary>The p-th percentile (0..100) of the recorded latencies, in milliseconds.</summary>
    public (double P50, double P99) Percentiles()
    {
        var n = (int)Math.Min(Applied, _latency.Length);
        if (n == 0)
        {
            return (double.NaN, double.NaN);
        }

        var sorted = _latency.AsSpan(0, _latency.Length).ToArray();
        Array.Sort(sorted);
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling((p / 100) * sorted.Length) - 1, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
        return (At(50), At(99));
    }

    private void Count(int n)
    {
        if (Interlocked.Add(ref _applied, n) >= _latency.Length)
        {
            _done.TrySetResult();
        }
    }
}
