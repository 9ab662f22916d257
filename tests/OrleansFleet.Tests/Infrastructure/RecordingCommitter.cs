using System.Collections.Concurrent;
using Orleans.Streams;
using OrleansFleet.Streaming;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// Stands in for a transport's committer in the barrier test: records every commit and, at that moment, runs a check
/// of what storage holds (the real committers' only job is the transport call, which this replaces).
/// </summary>
internal sealed class RecordingCommitter : ITelemetryStreamCommitter
{
    private long _committed;

    /// <summary>Positions committed so far.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Run at each commit, before it counts; the result is recorded in <see cref="Violations"/> when non-null.</summary>
    public Func<Task<string?>>? Check { get; set; }

    /// <summary>What <see cref="Check"/> found wrong at commit time.</summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    public async Task CommitAsync(int partition, IReadOnlyList<StreamSequenceToken> positions, CancellationToken cancellationToken)
    {
        if (Check is { } check && await check() is { } violation)
        {
            Violations.Enqueue($"partition {partition}, {positions.Count} positions: {violation}");
        }

        Interlocked.Add(ref _committed, positions.Count);
    }
}
