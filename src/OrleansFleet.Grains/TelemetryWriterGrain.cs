using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansFleet.Grains.Telemetry;

namespace OrleansFleet.Grains;

/// <summary>
/// The telemetry history's batching writer: group commit of many devices' readings into few, large store writes.
/// Device grains call <see cref="WriteAsync"/> and wait; their readings join the open batch, which is flushed when it
/// holds <see cref="TelemetryWriterOptions.MaxBatch"/> readings or is <see cref="TelemetryWriterOptions.MaxDelay"/>
/// old, whichever comes first. Each caller's task completes with the flush that holds its readings, so a device grain
/// persists its state (and the stream acknowledges its events) only after its readings are durable.
/// </summary>
/// <remarks>
/// <para>
/// <c>[StatelessWorker]</c>: Orleans runs activations of this grain on the calling silo (never a remote hop) and may
/// run several per silo; they hold no state worth keeping, so any of them may take any call. Key 0 is the only key.
/// </para>
/// <para>
/// <c>[Reentrant]</c> is what makes group commit possible: a caller's request stays in progress until its flush
/// completes, and without reentrancy Orleans would hold every other request back until then, so each batch would hold
/// one caller. With it, requests interleave at awaits: while one flush is pending, later callers keep joining the next
/// batch. Turns still run one at a time, so the batch is never touched concurrently and needs no lock.
/// It also keeps the worker count low: Orleans adds stateless-worker activations only when the existing ones have
/// requests queued, which a reentrant activation never has, so most of a silo's readings meet in one batch.
/// </para>
/// <para>
/// The store receives a whole batch in one call and itself groups it by device into entity-group transactions of at
/// most 100 rows per partition (every store must, as any caller may mix devices), running them in parallel behind its
/// concurrency limiter. Each caller's readings arrive as one device's contiguous run, so the writer only concatenates.
/// </para>
/// </remarks>
[StatelessWorker]
[Reentrant]
public sealed partial class TelemetryWriterGrain(
    ITelemetryHistoryStore store,
    IOptions<TelemetryWriterOptions> options,
    TelemetryWriterMetrics metrics,
    TimeProvider time,
    ILogger<TelemetryWriterGrain> logger) : Grain, ITelemetryWriterGrain
{
    private readonly TelemetryWriterOptions _options = options.Value;
    private TelemetryFlush? _open;
    private Task _lastFlush = Task.CompletedTask;

    /// <inheritdoc />
    public Task WriteAsync(TelemetryReadings readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Items.Count == 0)
        {
            return Task.CompletedTask;
        }

        TelemetryFlush? batch = _open;
        if (batch is null)
        {
            _open = batch = new TelemetryFlush(_options.MaxBatch);
            _ = FlushByAgeAsync(batch);
        }

        // The readings are copied into the batch now, in this turn, so the caller's list is never read after it returns.
        batch.Add(readings.Items);
        if (batch.Count >= _options.MaxBatch)
        {
            StartFlush("size");
        }

        // Not awaited here: returning the batch's task ends this turn at once, and the request completes when the
        // flush does. That is the whole trick: the turn is short, the request is long, and reentrancy lets others in.
        return batch.Completion;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Callers of an open batch are still waiting; flush it rather than leave them to time out.
        StartFlush("deactivation");
        await _lastFlush;
    }

    /// <summary>
    /// Flushes <paramref name="batch"/> once it is <see cref="TelemetryWriterOptions.MaxDelay"/> old, unless a size flush
    /// took it first. A delay on the silo's clock, not a grain timer: started in a turn of this activation, its
    /// continuation runs as a turn of it too (never racing <see cref="WriteAsync"/>), and unlike a grain timer it still
    /// fires while the activation deactivates. Deactivation waits for running requests, and a caller's request runs
    /// until its batch is flushed, so a batch waiting on a stopped timer would hold the silo's shutdown forever.
    /// </summary>
    private async Task FlushByAgeAsync(TelemetryFlush batch)
    {
        await Task.Delay(_options.MaxDelay, time);
        if (ReferenceEquals(_open, batch))
        {
            StartFlush("age");
        }
    }

    /// <summary>Closes the open batch and writes it in the background of this activation; later callers start a new one.</summary>
    private void StartFlush(string trigger)
    {
        if (_open is not { } batch)
        {
            return;
        }

        _open = null;
        // Flushes may overlap (a size flush while the previous one is pending): that is the pipelining the store's
        // concurrency limiter is there to bound.
        _lastFlush = FlushAsync(batch, trigger);
    }

    private async Task FlushAsync(TelemetryFlush batch, string trigger)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            await store.WriteAsync(batch.Readings, CancellationToken.None);
            metrics.Flushed(trigger, batch.Count, Stopwatch.GetElapsedTime(started));
            batch.Complete(null);
        }
        catch (Exception ex)
        {
            // Every caller of this batch sees the failure and must not acknowledge its readings; redelivery brings
            // them back, and the idempotent keys make the rows that did get written harmless to write again.
            metrics.Failed(trigger, Stopwatch.GetElapsedTime(started));
            LogFlushFailed(logger, ex, batch.Count);
            batch.Complete(ex);
        }
        finally
        {
            batch.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry flush of {Readings} readings failed; its callers are told and nothing in it is acknowledged")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int readings);
}
