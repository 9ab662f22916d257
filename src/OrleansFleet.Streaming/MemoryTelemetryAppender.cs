using Orleans.Streams;

namespace OrleansFleet.Streaming;

/// <summary>
/// Appends to Orleans memory streams: admission control first (<see cref="IngestBudget"/>, waiting at most
/// <see cref="TelemetryLimits.MaxAdmissionWait"/> for room), so an overloaded silo refuses a request whole before any of
/// it is queued, then one <c>OnNextAsync</c> per partition stream, in parallel.
/// The memory queue's own bound ("the count has reached its maximum") is a refusal too, never a server error.
/// </summary>
public sealed class MemoryTelemetryAppender(IClusterClient client, int partitionCount, IngestBudget budget, TelemetryLimits limits, TimeProvider time) : ITelemetryAppender
{
    // Resolved on first use: the provider exists once the silo has started, which is after DI builds this.
    private IStreamProvider? _streams;

    /// <inheritdoc />
    public int PartitionCount => partitionCount;

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<PartitionAppend> appends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appends);
        var total = 0;
        for (var i = 0; i < appends.Count; i++)
        {
            total += appends[i].Events.Count;
        }

        if (!await budget.AcquireAsync(total, limits.MaxAdmissionWait, cancellationToken))
        {
            throw new TelemetryStreamUnavailableException(
                $"The silo holds {budget.Used} accepted events not yet applied (Fleet:Ingest:MaxUnappliedEvents {budget.Capacity}); this request of {total} did not fit within {limits.MaxAdmissionWait.TotalMilliseconds:N0} ms and was not accepted.")
            {
                RetryAfter = limits.RetryAfter,
            };
        }

        var streams = _streams ??= client.GetStreamProvider(TelemetryStream.ProviderName);
        var now = time.GetUtcNow();
        var tasks = new Task[appends.Count];
        for (var i = 0; i < appends.Count; i++)
        {
            var append = appends[i];
            tasks[i] = streams.GetStream<TelemetryBatch>(TelemetryPartitionStream.Of(append.Partition)).OnNextAsync(new TelemetryBatch(append.Events, now));
        }

        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception ex)
        {
            // The refused appends give their share back; those queued are given back when they are applied.
            for (var i = 0; i < tasks.Length; i++)
            {
                if (!tasks[i].IsCompletedSuccessfully)
                {
                    budget.Release(appends[i].Events.Count);
                }
            }

            // Only reachable when the budget is set above what the queues hold.
            if (IsQueueFull(ex))
            {
                throw new TelemetryStreamUnavailableException($"A memory stream queue is full: {ex.Message}", ex) { RetryAfter = limits.RetryAfter };
            }

            throw;
        }
    }

    private static bool IsQueueFull(Exception ex) => ex switch
    {
        InvalidOperationException when ex.Message.Contains("reached its maximum", StringComparison.Ordinal) => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsQueueFull),
        _ => ex.InnerException is { } inner && IsQueueFull(inner),
    };
}
