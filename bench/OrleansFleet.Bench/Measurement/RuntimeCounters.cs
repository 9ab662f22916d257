using System.Diagnostics;
using System.Globalization;

namespace OrleansFleet.Bench.Measurement;

/// <summary>
/// The runtime's own counters around a profiled run: where time goes besides allocation. Thread-pool work items per
/// event show how many hops (grain turns, continuations, message pumps) an event takes; lock contentions show threads
/// queueing on each other; GC counts and pause time show what the allocations cost; CPU time over wall time shows
/// whether the two cores were busy or the run waited.
/// </summary>
public readonly record struct RuntimeCounters(long WorkItems, long Contentions, int Gen0, int Gen1, int Gen2, TimeSpan Paused, TimeSpan Cpu, long Timestamp)
{
    /// <summary>Reads the counters now.</summary>
    public static RuntimeCounters Read()
    {
        using var process = Process.GetCurrentProcess();
        return new(ThreadPool.CompletedWorkItemCount, Monitor.LockContentionCount, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            GC.GetTotalPauseDuration(), process.TotalProcessorTime, Stopwatch.GetTimestamp());
    }

    /// <summary>The difference between two readings.</summary>
    public static RuntimeCounters operator -(RuntimeCounters after, RuntimeCounters before) =>
        new(after.WorkItems - before.WorkItems, after.Contentions - before.Contentions, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1,
            after.Gen2 - before.Gen2, after.Paused - before.Paused, after.Cpu - before.Cpu, after.Timestamp - before.Timestamp);

    /// <summary>One line for the report, per <paramref name="events"/> events.</summary>
    public string Describe(long events)
    {
        var wall = Stopwatch.GetElapsedTime(0, Timestamp);
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv, $"runtime counters: {(double)WorkItems / events:F2} thread-pool work items/event, {Contentions * 1000.0 / events:F2} lock contentions per 1,000 events, GC gen0/1/2 {Gen0}/{Gen1}/{Gen2} with {Paused.TotalMilliseconds:N0} ms paused ({Paused / wall:P1} of {wall.TotalSeconds:F1} s), CPU {Cpu.TotalSeconds:F1} s = {Cpu / wall / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores");
    }
}
