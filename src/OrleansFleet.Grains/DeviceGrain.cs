using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using OrleansFleet.Grains.Domain;
using OrleansFleet.Grains.Observability;
using OrleansFleet.Grains.State;

namespace OrleansFleet.Grains;

/// <summary>
/// One device. Orleans guarantees a single activation per device id and runs its calls one at a time, so this is the
/// only writer of the device's state and needs no locks; <see cref="DeviceModel"/> does the domain work, this class adds
/// checkpointing, the timer that fires without new events, and publishing to the fleet read model.
/// </summary>
/// <remarks>
/// Events arrive from the partition consumer (<see cref="TelemetryPartitionGrain"/>) or from direct calls, and are
/// applied in memory at once. The state is persisted on a cadence (<see cref="CheckpointOptions"/>), on the partition's
/// barrier (<see cref="CheckpointAsync"/>) and on deactivation: the stream is the write-ahead log in between, because
/// the partition commits its position only after every device it fed has checkpointed.
/// <para>
/// Placement: resource-optimized (Orleans weighs each silo's CPU, memory and activation count and places a new device on
/// the least loaded of a few candidates), stated here so it does not depend on the runtime's default. Not prefer-local:
/// a device would stay wherever its partition's consumer happened to be when it activated, and partitions move between
/// silos whenever the cluster changes. docs/architecture.md has the measurements.
/// </para>
/// </remarks>
[ResourceOptimizedPlacement]
public sealed partial class DeviceGrain(
    [PersistentState("device")] IPersistentState<DeviceState> device,
    [PersistentState("device-cold")] IPersistentState<DeviceColdState> cold,
    IOptions<FleetOptions> options,
    TimeProvider time,
    DeviceMetrics metrics,
    ILogger<DeviceGrain> logger) : Grain, IDeviceGrain
{
    private readonly FleetOptions _options = options.Value;
    private readonly long _incarnation = Random.Shared.NextInt64();
    private DeviceModel _model = null!;
    private IGrainTimer? _timer;
    private long _publishedVersion;
    private bool _dirty;
    private bool _coldDirty;
    private int _unsavedEvents;
    private DateTimeOffset? _checkpointDue;
    private DeviceTally _reported;
    private DateTimeOffset? _armedAt;
    private Task<ApplyResult>? _answer;
    private ITelemetryWriterGrain? _writer;

    private string Id { get; set; } = "";

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Id = this.GetPrimaryKeyString();
        _model = new DeviceModel(Id, device.State, cold.State, _options);
        _reported = DeviceTally.Of(device.State);
        ArmTimer();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await CheckpointCoreAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Lost with the activation; nothing past it was committed on the stream, so it is delivered again.
            LogCheckpointFailed(logger, ex, Id);
        }
    }

    /// <inheritdoc />
    public Task<ApplyResult> ApplyAsync(TelemetryBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var events = batch.Events;
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].DeviceId != Id)
            {
                throw new ArgumentException($"Event for device '{events[i].DeviceId}' was sent to device '{Id}'.", nameof(batch));
            }
        }

        var now = time.GetUtcNow();
        for (var i = 0; i < events.Count; i++)
        {
            _model.Receive(events[i], now, batch.StreamTime);
        }

        _model.ExpireHeld(now, batch.StreamTime);
        MarkDirty(events.Count, now, fedByPartition: batch.StreamTime is not null);
        if (_unsavedEvents >= _options.Checkpoint.MaxEvents)
        {
            return CheckpointAndAnswerAsync();
        }

        ArmTimer();
        return Answer();
    }

    /// <inheritdoc />
    public Task<ApplyResult> AdvanceStreamTimeAsync(DateTimeOffset streamTime)
    {
        var now = time.GetUtcNow();
        if (_model.ExpireHeld(now, streamTime))
        {
            LogGapExpired(logger, Id, device.State.LastSeq);
            MarkDirty(0, now, fedByPartition: true);
            ArmTimer();
        }

        return Answer();
    }

    /// <inheritdoc />
    public async Task<long> CheckpointAsync()
    {
        await CheckpointCoreAsync();
        ArmTimer();
        return _incarnation;
    }

    /// <inheritdoc />
    public async Task<DeviceSummary?> CheckOfflineAsync()
    {
        // Called by the fleet index's offline backstop for a device whose activation may have been lost: activating it
        // re-arms its timer, and an offline transition is checkpointed at once so the read model shows it.
        var now = time.GetUtcNow();
        if (_model.CheckOffline(now))
        {
            LogOffline(logger, Id, device.State.LastReceivedAt);
            MarkDirty(0, now);
            await CheckpointCoreAsync();
        }

        ArmTimer();
        return device.State.HasReported ? _model.Summary() : null;
    }

    /// <inheritdoc />
    public Task<DeviceView?> GetViewAsync() => Task.FromResult(device.State.HasReported ? _model.View() : null);

    /// <inheritdoc />
    public Task<IReadOnlyList<Alarm>?> GetAlarmsAsync(bool includeCleared) =>
        Task.FromResult(device.State.HasReported ? _model.Alarms(includeCleared) : null);

    /// <inheritdoc />
    public async Task<AcknowledgeResult> AcknowledgeAlarmAsync(string alarmId)
    {
        var now = time.GetUtcNow();
        var result = _model.Acknowledge(alarmId, now);
        if (result.Outcome == AcknowledgeOutcome.Acknowledged)
        {
            // Not replayable from the stream, so it is durable before the operator hears "acknowledged".
            MarkDirty(0, now);
            await CheckpointAsync();
        }

        return result;
    }

    /// <inheritdoc />
    public Task<DeviceRules> GetRulesAsync() => Task.FromResult(_model.Rules());

    /// <inheritdoc />
    public async Task<DeviceRules> SetRulesAsync(IReadOnlyList<AlarmRule> overrides)
    {
        var now = time.GetUtcNow();
        var rules = _model.SetRules(overrides, now);
        MarkDirty(0, now);
        await CheckpointAsync();
        return rules;
    }

    /// <summary>
    /// The answer to the partition consumer, as a completed task. It is the same answer for most calls (the same
    /// incarnation, nothing held on the stream clock), so the task is kept and handed out again until it changes:
    /// a call then allocates no task of its own.
    /// </summary>
    private Task<ApplyResult> Answer()
    {
        var result = new ApplyResult(_incarnation, _model.HeldUntilStreamTime);
        if (_answer is not { } answer || answer.Result != result)
        {
            _answer = answer = Task.FromResult(result);
        }

        return answer;
    }

    /// <summary>The checkpoint a call owes at <c>Fleet:Checkpoint:MaxEvents</c>, then the answer.</summary>
    private async Task<ApplyResult> CheckpointAndAnswerAsync()
    {
        try
        {
            await CheckpointCoreAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The events are applied; the failure is the barrier's business (it does not commit past them), not a
            // reason to make the stream redeliver a batch this device already has in memory.
            LogCheckpointFailed(logger, ex, Id);
        }

        ArmTimer();
        return await Answer();
    }

    private void MarkDirty(int events, DateTimeOffset now, bool fedByPartition = false)
    {
        // Every change to the state passes here: the meters hear what it added to the state's own counters.
        metrics.Report(ref _reported, device.State);
        _dirty = true;
        _unsavedEvents += events;
        // What a partition fed is checkpointed by that partition's barrier, every interval: this device's own timer is
        // then only the backstop for a barrier that does not come, so it waits two intervals. Racing the barrier at one
        // interval would write the state twice per interval under steady traffic (timer first, then the barrier, which
        // finds the events that arrived in between).
        _checkpointDue ??= now + (fedByPartition ? 2 * _options.Checkpoint.Interval : _options.Checkpoint.Interval);
    }

    /// <summary>Whatever is due: held events past their server-time hold, the offline check, the checkpoint.</summary>
    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        // A one-shot timer that fired is armed no more: whatever is due next is armed again at the end.
        _armedAt = null;
        var now = time.GetUtcNow();
        if (_model.ExpireHeld(now))
        {
            LogGapExpired(logger, Id, device.State.LastSeq);
            MarkDirty(0, now);
        }

        if (_model.CheckOffline(now))
        {
            LogOffline(logger, Id, device.State.LastReceivedAt);
            MarkDirty(0, now);
        }

        if (_checkpointDue <= now)
        {
            try
            {
                await CheckpointCoreAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Still dirty and still in memory: try again an interval later; the partition does not commit meanwhile.
                LogCheckpointFailed(logger, ex, Id);
                _checkpointDue = now + _options.Checkpoint.Interval;
            }
        }

        // Re-arm from the model's next due time, whether or not this callback found something due (a timer may fire early).
        ArmTimer();
    }

    /// <summary>
    /// Persists what was applied since the last checkpoint: the readings to the telemetry history first, then the
    /// state, then the summary to the read model. A failure leaves everything in memory and dirty, for the next try.
    /// </summary>
    private async Task CheckpointCoreAsync()
    {
        if (!_dirty)
        {
            return;
        }

        _model.TakeSummaryChange();
        // History first, state second: if the history write fails, the state is not persisted and the next checkpoint
        // writes both again. The history key is device + seq, so rows written twice are simply overwritten. The
        // writer is a stateless worker (always local, so the [Immutable] readings are not copied on the way) that
        // copies the readings into its batch in the turn that receives them; this activation runs nothing else until
        // the write returns, so the list itself is handed over and only cleared afterwards.
        if (_model.AppliedReadings.Count > 0)
        {
            await (_writer ??= GrainFactory.GetGrain<ITelemetryWriterGrain>(0)).WriteAsync(new TelemetryReadings(_model.AppliedReadings));
            _model.AppliedReadings.Clear();
        }

        await device.WriteStateAsync();
        // The cold part only when it changed: cleared alarms archived or rules replaced, rarely per event. A failure
        // here leaves the flag set again, so the next checkpoint writes it.
        if (_model.TakeColdChange())
        {
            try
            {
                await cold.WriteStateAsync();
            }
            catch
            {
                _coldDirty = true;
                throw;
            }
        }
        else if (_coldDirty)
        {
            await cold.WriteStateAsync();
        }

        _coldDirty = false;
        _dirty = false;
        _unsavedEvents = 0;
        _checkpointDue = null;
        await PublishSummaryAsync();
    }

    private async Task PublishSummaryAsync()
    {
        if (device.State.SummaryVersion <= _publishedVersion)
        {
            return;
        }

        var summary = _model.Summary();
        try
        {
            var shard = StableHash.Bucket(Id, _options.IndexShards);
            await GrainFactory.GetGrain<IFleetIndexGrain>(shard).UpdateAsync(summary);
            _publishedVersion = summary.Version;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The device's own state is safe; the next checkpoint publishes again, because the version is still unpublished.
            LogPublishFailed(logger, ex, Id);
        }
    }

    /// <summary>
    /// Points the device's one-shot grain timer at the earliest of: held events' expiry, the offline check, the
    /// checkpoint; or stops it. Grain timers run their callback as a turn of this activation (never concurrently with
    /// a call), and <c>KeepAlive</c> keeps the activation from being collected while something is due.
    /// </summary>
    /// <remarks>
    /// Called after every call, and the offline check moves later with every event: moving the timer each time would
    /// be a timer-queue update (and its lock) per call. So the timer is moved only when something is due earlier than
    /// it is armed for; when it fires early, <see cref="OnTimerAsync"/> finds nothing due and arms it for what is.
    /// </remarks>
    private void ArmTimer()
    {
        var dueAt = Earliest(Earliest(_model.HeldUntil, _model.OfflineAt), _checkpointDue);
        if (dueAt is not { } at)
        {
            _timer?.Dispose();
            _timer = null;
            _armedAt = null;
            return;
        }

        if (_armedAt <= at)
        {
            return;
        }

        var now = time.GetUtcNow();
        var due = at > now ? at - now : TimeSpan.Zero;
        _armedAt = at;
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
            return;
        }

        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} applied held events past a gap; last seq now {LastSeq}")]
    private static partial void LogGapExpired(ILogger logger, string deviceId, long lastSeq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} is offline; last heard at {LastReceivedAt}")]
    private static partial void LogOffline(ILogger logger, string deviceId, DateTimeOffset? lastReceivedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing device {DeviceId} to the fleet read model failed; it is retried on the next change")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint of device {DeviceId} failed; its events stay in memory and uncommitted on the stream")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string deviceId);
}
