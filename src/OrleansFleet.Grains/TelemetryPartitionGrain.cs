using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Streams;
using Orleans.Streams.Core;
using OrleansFleet.Grains.Observability;
using OrleansFleet.Streaming;

namespace OrleansFleet.Grains;

/// <summary>
/// Consumes one partition of the telemetry stream and is the coordinator of its checkpoints.
/// <para>
/// Delivery: Orleans' pulling agent hands the partition's batches (each one append, many devices) to
/// <see cref="OnNextAsync"/>, up to the provider's <c>BatchContainerBatchSize</c> appends at a time, and delivers the
/// next ones only when it returns. The appends are split by device in the order read, and every device gets its slice
/// of all of them in one call, all devices in parallel; so at most one call per device is in flight, and a device sees
/// the partition's appends in order. Taking several appends per delivery is what makes a slice more than one event
/// when a request spreads over many devices (a 2,000-event request over 10,000 devices is one event per device).
/// </para>
/// <para>
/// Barrier (Flink-style): every <c>Fleet:Checkpoint:Interval</c> a non-interleaving timer runs between two
/// deliveries: it asks every device fed since the last barrier to checkpoint, awaits them all, and only then commits
/// the positions delivered since the last barrier (<see cref="ITelemetryStreamCommitter"/>). No position is committed
/// past an event whose device has not persisted it, so after a crash the transport redelivers from the last committed
/// position and <c>seq</c> deduplication gives each event one effect.
/// </para>
/// <para>
/// Stream time: batches carry their append time. The partition delivers in append order, so the latest one delivered
/// is how far the stream has got, and devices holding events for a missing <c>seq</c> measure their hold on it; this
/// grain tells them when the stream has moved past their hold (<see cref="IDeviceGrain.AdvanceStreamTimeAsync"/>).
/// </para>
/// </summary>
[ImplicitStreamSubscription(TelemetryStream.Namespace)]
[PreferLocalPlacement]
public sealed partial class TelemetryPartitionGrain(
    IOptions<FleetOptions> options,
    IServiceProvider services,
    TimeProvider time,
    PartitionMetrics metrics,
    ILogger<TelemetryPartitionGrain> logger) : Grain, ITelemetryPartitionGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<TelemetryBatch>
{
    private readonly TimeSpan _interval = options.Value.Checkpoint.Interval;

    // Devices fed since the last barrier, with the incarnation that applied their events.
    private Dictionary<string, long> _fed = new(StringComparer.Ordinal);

    // Positions delivered since the last barrier, in delivery order.
    private List<StreamSequenceToken> _delivered = [];

    // Every event delivered since the last commit, per device, in delivery order: what a device whose activation was
    // lost before it checkpointed is given again. The transport redelivers uncommitted positions only to a new consumer
    // (after this grain's silo died); while this grain lives, it is the one that still has them.
    private readonly Dictionary<string, List<TelemetryEvent>> _uncommitted = new(StringComparer.Ordinal);

    // Devices holding events on the stream's clock, and the stream time their hold ends.
    private readonly Dictionary<string, DateTimeOffset> _held = new(StringComparer.Ordinal);

    private ITelemetryStreamCommitter _committer = null!;
    private IngestBudget? _budget;
    private DateTimeOffset? _streamTime;
    private bool _deliveredSinceBarrier;
    private int _partition;
    private PartitionProgress _progress = null!;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _partition = (int)this.GetPrimaryKeyLong();
        _progress = metrics.Register(_partition);
        _committer = services.GetKeyedService<ITelemetryStreamCommitter>(TelemetryStream.ProviderName)
            ?? throw new InvalidOperationException($"No {nameof(ITelemetryStreamCommitter)} is registered for stream provider '{TelemetryStream.ProviderName}'.");
        _budget = services.GetService<IngestBudget>();
        // Interleave = false (the default): the barrier runs as a turn of its own, never in the middle of a delivery.
        this.RegisterGrainTimer(_ => BarrierCoreAsync(), new GrainTimerCreationOptions(_interval, _interval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await BarrierCoreAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBarrierFailed(logger, ex, _partition);
        }

        metrics.Unregister(_progress);
    }

    /// <inheritdoc />
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<TelemetryBatch>().ResumeAsync(this);
    }

    /// <inheritdoc />
    public async Task OnNextAsync(IList<SequentialItem<TelemetryBatch>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var delivered = 0;
        foreach (var item in items)
        {
            // Appends arrive in order, so the last one's time is how far this delivery takes the stream.
            if (item.Item.StreamTime is { } appended && (_streamTime is null || appended > _streamTime))
            {
                _streamTime = appended;
            }

            delivered += item.Item.Events.Count;
        }

        var slices = Slice(items);
        var streamTime = items.Count > 0 ? items[^1].Item.StreamTime : null;
        var calls = new List<(string DeviceId, Task<ApplyResult> Call)>(slices.Count + _held.Count);
        foreach (var (deviceId, events) in slices)
        {
            calls.Add((deviceId, GrainFactory.GetGrain<IDeviceGrain>(deviceId).ApplyAsync(new TelemetryBatch(events, streamTime))));
        }

        AdvanceHeld(calls, slices);
        List<(string DeviceId, long Incarnation)> lost = [];
        try
        {
            await Task.WhenAll(calls.Select(c => c.Call));
        }
        finally
        {
            // Whatever succeeded is applied in memory and must be checkpointed before its position is committed;
            // a failure makes Orleans deliver the batch again, and the devices that had it drop it as duplicates.
            foreach (var (deviceId, call) in calls)
            {
                if (call.IsCompletedSuccessfully && !Record(deviceId, call.Result))
                {
                    lost.Add((deviceId, call.Result.Incarnation));
                }
            }
        }

        // A device answering from a new activation lost what it had applied since its last checkpoint: give it again
        // before this batch's slices join what it has been given (its reorder buffer holds the newer events meanwhile).
        await ReplayAsync(lost);
        foreach (var (deviceId, events) in slices)
        {
            if (!_uncommitted.TryGetValue(deviceId, out var retained))
            {
                _uncommitted[deviceId] = retained = [];
            }

            retained.AddRange(events);
        }

        foreach (var item in items)
        {
            if (item.Token is { } token)
            {
                _delivered.Add(token);
            }
        }

        _deliveredSinceBarrier = true;
        _budget?.Release(delivered);
        foreach (var item in items)
        {
            if (item.Item.StreamTime is { } appendedAt)
            {
                metrics.Applied(appendedAt);
            }
        }

        _progress.Delivered(items.Count > 0 && items[0].Item.StreamTime is { } oldest ? oldest : time.GetUtcNow(), _delivered.Count, _fed.Count);
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<int> BarrierAsync() => BarrierCoreAsync();

    private static Dictionary<string, List<TelemetryEvent>> Slice(IList<SequentialItem<TelemetryBatch>> items)
    {
        var slices = new Dictionary<string, List<TelemetryEvent>>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var events = item.Item.Events;
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (!slices.TryGetValue(e.DeviceId, out var slice))
                {
                    slices[e.DeviceId] = slice = [];
                }

                slice.Add(e);
            }
        }

        return slices;
    }

    /// <summary>Tells devices not in this batch whose hold has ended on the stream clock.</summary>
    private void AdvanceHeld(List<(string DeviceId, Task<ApplyResult> Call)> calls, Dictionary<string, List<TelemetryEvent>>? skip)
    {
        if (_streamTime is not { } now || _held.Count == 0)
        {
            return;
        }

        foreach (var (deviceId, until) in _held)
        {
            if (until <= now && (skip is null || !skip.ContainsKey(deviceId)))
            {
                calls.Add((deviceId, GrainFactory.GetGrain<IDeviceGrain>(deviceId).AdvanceStreamTimeAsync(now)));
            }
        }
    }

    /// <summary>Notes what a device answered; false when it answered from a new activation (see <see cref="ReplayAsync"/>).</summary>
    private bool Record(string deviceId, ApplyResult result)
    {
        if (result.HeldUntilStreamTime is { } until)
        {
            _held[deviceId] = until;
        }
        else
        {
            _held.Remove(deviceId);
        }

        if (_fed.TryGetValue(deviceId, out var incarnation) && incarnation != result.Incarnation)
        {
            // The activation that had this device's earlier events in memory is gone; keep the old incarnation until
            // the replay has succeeded, so a barrier cannot commit positions whose events may have gone with it.
            LogIncarnationChanged(logger, deviceId, _partition);
            return false;
        }

        _fed[deviceId] = result.Incarnation;
        return true;
    }

    /// <summary>
    /// Gives each device whose activation was lost (a silo crash, a deactivation that could not checkpoint) every event
    /// this partition delivered to it since the last commit. The new activation starts from the device's last
    /// checkpoint, so what it already has is dropped by <c>seq</c> and the rest applies in order. Only once the same
    /// activation has taken the replay does the barrier count the device as holding its events again.
    /// </summary>
    private async Task ReplayAsync(IReadOnlyList<(string DeviceId, long Incarnation)> lost)
    {
        if (lost.Count == 0)
        {
            return;
        }

        var replays = new List<(string DeviceId, long Incarnation, Task<ApplyResult> Call)>(lost.Count);
        foreach (var (deviceId, incarnation) in lost)
        {
            IReadOnlyList<TelemetryEvent> events = _uncommitted.TryGetValue(deviceId, out var retained) ? [.. retained] : [];
            replays.Add((deviceId, incarnation, GrainFactory.GetGrain<IDeviceGrain>(deviceId).ApplyAsync(new TelemetryBatch(events, _streamTime))));
        }

        await Task.WhenAll(replays.Select(r => r.Call));
        foreach (var (deviceId, incarnation, call) in replays)
        {
            if (call.Result.Incarnation == incarnation)
            {
                _fed[deviceId] = incarnation;
                LogReplayed(logger, deviceId, _partition, _uncommitted.GetValueOrDefault(deviceId)?.Count ?? 0);
            }
        }
    }

    private async Task<int> BarrierCoreAsync()
    {
        await AdvanceIdleStreamAsync();
        if (_fed.Count == 0 && _delivered.Count == 0)
        {
            _progress.BarrierCompleted(time.GetUtcNow(), 0, 0);
            return 0;
        }

        var fed = _fed;
        var delivered = _delivered;
        _fed = new Dictionary<string, long>(StringComparer.Ordinal);
        _delivered = [];
        var checkpoints = fed.Select(d => (d.Key, d.Value, Call: GrainFactory.GetGrain<IDeviceGrain>(d.Key).CheckpointAsync())).ToList();
        try
        {
            await Task.WhenAll(checkpoints.Select(c => c.Call));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not committed: the devices that failed stay to be checkpointed by the next barrier, with these positions.
            foreach (var (deviceId, incarnation, call) in checkpoints)
            {
                if (!call.IsCompletedSuccessfully)
                {
                    _fed.TryAdd(deviceId, incarnation);
                }
            }

            _delivered.InsertRange(0, delivered);
            LogBarrierFailed(logger, ex, _partition);
            return 0;
        }

        var lost = checkpoints.Where(c => c.Call.Result != c.Value).Select(c => (c.Key, c.Call.Result)).ToList();
        if (lost.Count > 0 && !await RecoverAsync(lost))
        {
            // Some device lost events it had applied in memory and could not be given them again yet: committing would
            // make them unrecoverable, so the next barrier tries again with these positions and these devices.
            foreach (var (deviceId, incarnation) in fed)
            {
                _fed.TryAdd(deviceId, incarnation);
            }

            _delivered.InsertRange(0, delivered);
            LogPositionsWithheld(logger, delivered.Count, _partition, string.Join(", ", lost.Take(5).Select(l => l.Key)));
            return 0;
        }

        try
        {
            await _committer.CommitAsync(_partition, delivered, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The devices are checkpointed; only the commit is left to do, with the next barrier's positions.
            _delivered.InsertRange(0, delivered);
            LogBarrierFailed(logger, ex, _partition);
            return 0;
        }

        // Deliveries never interleave with the barrier, so everything retained was delivered before these positions.
        _uncommitted.Clear();
        _progress.BarrierCompleted(time.GetUtcNow(), _delivered.Count, _fed.Count);
        return delivered.Count;
    }

    /// <summary>Replays the retained events to devices found lost at the barrier and checkpoints them again.</summary>
    private async Task<bool> RecoverAsync(IReadOnlyList<(string DeviceId, long Incarnation)> lost)
    {
        try
        {
            foreach (var (deviceId, _) in lost)
            {
                _fed.Remove(deviceId);
            }

            await ReplayAsync(lost);
            var again = lost.Select(l => (l.Incarnation, Call: GrainFactory.GetGrain<IDeviceGrain>(l.DeviceId).CheckpointAsync())).ToList();
            await Task.WhenAll(again.Select(a => a.Call));
            return again.All(a => a.Call.Result == a.Incarnation);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBarrierFailed(logger, ex, _partition);
            return false;
        }
    }

    /// <summary>
    /// A partition that delivered nothing for a whole barrier period has caught up: everything appended up to about
    /// then has been delivered, so its stream time moves on with the clock, and holds end as they would without a
    /// stream. A partition that is still delivering (however far behind) keeps its stream time.
    /// </summary>
    private async Task AdvanceIdleStreamAsync()
    {
        var idle = !_deliveredSinceBarrier;
        _deliveredSinceBarrier = false;
        if (!idle || _held.Count == 0)
        {
            return;
        }

        var caughtUp = time.GetUtcNow() - _interval;
        if (_streamTime is null || caughtUp > _streamTime)
        {
            _streamTime = caughtUp;
        }

        var calls = new List<(string DeviceId, Task<ApplyResult> Call)>();
        AdvanceHeld(calls, null);
        await Task.WhenAll(calls.Select(c => c.Call));
        await ReplayAsync([.. calls.Where(c => !Record(c.DeviceId, c.Call.Result)).Select(c => (c.DeviceId, c.Call.Result.Incarnation))]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Barrier of telemetry partition {Partition} failed; its positions stay uncommitted until the next one")]
    private static partial void LogBarrierFailed(ILogger logger, Exception exception, int partition);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} of telemetry partition {Partition} was given its {Count} uncommitted events again")]
    private static partial void LogReplayed(ILogger logger, string deviceId, int partition, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId} of telemetry partition {Partition} answered from a new activation before its barrier")]
    private static partial void LogIncarnationChanged(ILogger logger, string deviceId, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry partition {Partition}: {Count} positions left uncommitted, devices lost uncheckpointed events ({Devices}); they will be delivered again")]
    private static partial void LogPositionsWithheld(ILogger logger, int count, int partition, string devices);
}
