using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFleet.Grains.Domain;
using Orleans.Streams;
using Orleans.Streams.Core;
using OrleansFleet.Grains.State;

namespace OrleansFleet.Grains;

/// <summary>
/// One device. Orleans guarantees a single activation per device id and runs its calls one at a time, so this is the
/// only writer of the device's state and needs no locks; <see cref="DeviceModel"/> does the domain work, this class adds
/// persistence (once per batch), the timers that fire without new events, and publishing to the fleet read model.
/// </summary>
/// <remarks>
/// Telemetry arrives on the device's own stream (<see cref="TelemetryStream"/>). The implicit subscription means no
/// one subscribes explicitly: the first item on a device's stream activates this grain, and a batch is acknowledged to
/// the stream only when <see cref="ApplyAsync"/> has completed, that is after the state was persisted.
/// </remarks>
[ImplicitStreamSubscription(TelemetryStream.Namespace)]
public sealed partial class DeviceGrain(
    [PersistentState("device")] IPersistentState<DeviceState> device,
    IOptions<FleetOptions> options,
    TimeProvider time,
    ILogger<DeviceGrain> logger) : Grain, IDeviceGrain, IStreamSubscriptionObserver
{
    private readonly FleetOptions _options = options.Value;
    private DeviceModel _model = null!;
    private IGrainTimer? _heldTimer;
    private IGrainTimer? _offlineTimer;
    private long _publishedVersion;

    private string Id { get; set; } = "";

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Id = this.GetPrimaryKeyString();
        _model = new DeviceModel(Id, device.State, _options);
        ArmTimers();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<TelemetryBatch>().ResumeAsync((batch, _) => ApplyAsync(batch));
    }

    /// <inheritdoc />
    public async Task ApplyAsync(TelemetryBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var now = time.GetUtcNow();
        foreach (var telemetry in batch.Events)
        {
            if (telemetry.DeviceId != Id)
            {
                throw new ArgumentException($"Event for device '{telemetry.DeviceId}' was sent to device '{Id}'.", nameof(batch));
            }
        }

        foreach (var telemetry in batch.Events)
        {
            _model.Receive(telemetry, now);
        }

        _model.ExpireHeld(now);
        await SaveAsync();
    }

    /// <inheritdoc />
    public Task<DeviceView?> GetViewAsync() => Task.FromResult(device.State.HasReported ? _model.View() : null);

    /// <inheritdoc />
    public Task<IReadOnlyList<Alarm>?> GetAlarmsAsync(bool includeCleared) =>
        Task.FromResult(device.State.HasReported ? _model.Alarms(includeCleared) : null);

    /// <inheritdoc />
    public async Task<AcknowledgeResult> AcknowledgeAlarmAsync(string alarmId)
    {
        var result = _model.Acknowledge(alarmId, time.GetUtcNow());
        if (result.Outcome == AcknowledgeOutcome.Acknowledged)
        {
            await SaveAsync();
        }

        return result;
    }

    /// <inheritdoc />
    public Task<DeviceRules> GetRulesAsync() => Task.FromResult(_model.Rules());

    /// <inheritdoc />
    public async Task<DeviceRules> SetRulesAsync(IReadOnlyList<AlarmRule> overrides)
    {
        var rules = _model.SetRules(overrides, time.GetUtcNow());
        await SaveAsync();
        return rules;
    }

    /// <inheritdoc />
    public async Task<DeviceSummary?> CheckOfflineAsync()
    {
        // Called by the fleet index's offline backstop; activating this grain for it re-arms the timers too.
        await MarkOfflineIfSilentAsync();
        return device.State.HasReported ? _model.Summary() : null;
    }

    private async Task OnHeldExpiredAsync(CancellationToken cancellationToken)
    {
        if (_model.ExpireHeld(time.GetUtcNow()))
        {
            LogGapExpired(logger, Id, device.State.LastSeq);
            await SaveAsync();
        }
        else
        {
            // A timer may fire a little before its due time, and then nothing is due yet: point it at the model's
            // next due time again, or the held events would wait for the next event or the offline check.
            ArmTimers();
        }
    }

    private async Task MarkOfflineIfSilentAsync()
    {
        if (_model.CheckOffline(time.GetUtcNow()))
        {
            LogOffline(logger, Id, device.State.LastReceivedAt);
            await SaveAsync();
        }
        else
        {
            // Fired early (or by the reminder while still online): re-arm from the model's next due time.
            ArmTimers();
        }
    }

    /// <summary>Persists the applied readings and then the state, once, publishes to the read model if it changed there, and re-arms the timers.</summary>
    private async Task SaveAsync()
    {
        _model.TakeSummaryChange();
        try
        {
            // History first, state second: if the history write fails, the state is not persisted, this activation is
            // dropped below, and redelivery applies the events again. The history key is device + seq, so rows written
            // before a later state-write failure are simply overwritten by the retry. The writer is a stateless worker
            // reached through the grain factory (always local), and the copy handed over is never touched again.
            if (_model.AppliedReadings.Count > 0)
            {
                await GrainFactory.GetGrain<ITelemetryWriterGrain>(0).WriteAsync(new TelemetryReadings([.. _model.AppliedReadings]));
            }

            await device.WriteStateAsync();
        }
        catch
        {
            // Memory is now ahead of storage. Drop this activation so the next call reloads what was really persisted;
            // the caller sees the failure, so nothing is acknowledged and the events will be delivered again.
            DeactivateOnIdle();
            throw;
        }

        _model.AppliedReadings.Clear();
        ArmTimers();
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
            // The device's own state is safe; the next save publishes again, because the version is still unpublished.
            LogPublishFailed(logger, ex, Id);
        }
    }

    private void ArmTimers()
    {
        var now = time.GetUtcNow();
        _heldTimer = Arm(_heldTimer, _model.HeldUntil, now, OnHeldExpiredAsync);
        _offlineTimer = Arm(_offlineTimer, _model.OfflineAt, now, _ => MarkOfflineIfSilentAsync());
    }

    /// <summary>
    /// Points a one-shot grain timer at <paramref name="dueAt"/>, or stops it. Grain timers run their callback as a
    /// turn of this activation (never concurrently with a call), and <c>KeepAlive</c> keeps the activation from being
    /// collected while something is due: held events to apply, or an offline check.
    /// </summary>
    private IGrainTimer? Arm(IGrainTimer? timer, DateTimeOffset? dueAt, DateTimeOffset now, Func<CancellationToken, Task> callback)
    {
        if (dueAt is not { } at)
        {
            timer?.Dispose();
            return null;
        }

        var due = at > now ? at - now : TimeSpan.Zero;
        if (timer is null)
        {
            return this.RegisterGrainTimer(callback, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }

        timer.Change(due, Timeout.InfiniteTimeSpan);
        return timer;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} applied held events past a gap; last seq now {LastSeq}")]
    private static partial void LogGapExpired(ILogger logger, string deviceId, long lastSeq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} is offline; last heard at {LastReceivedAt}")]
    private static partial void LogOffline(ILogger logger, string deviceId, DateTimeOffset? lastReceivedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing device {DeviceId} to the fleet read model failed; it is retried on the next change")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string deviceId);
}
