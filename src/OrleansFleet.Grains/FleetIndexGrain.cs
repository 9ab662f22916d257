using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansFleet.Grains.Domain;

namespace OrleansFleet.Grains;

/// <summary>
/// A shard of the fleet read model (CQRS read side): fleet queries read a handful of shards instead of every device.
/// It is also the durable backstop of offline detection for the devices it holds.
/// </summary>
/// <remarks>
/// <para>
/// Rows: the shard holds its devices' summaries in memory (<see cref="FleetShard"/>), reads them from the
/// <see cref="IDeviceSummaryStore"/> when it activates, and writes back only the rows changed since its last write.
/// <c>[Reentrant]</c> lets updates from many devices share one write (group commit): each update changes the map in
/// its own turn, then waits for a write that started after its change. Orleans still runs one turn at a time, so the
/// map is never touched concurrently, and a write takes its rows before its first await.
/// </para>
/// <para>
/// Backstop: device grains mark themselves offline with an in-memory grain timer, which dies with the activation in a
/// silo crash. Each shard registers one Orleans reminder (persisted in the reminder table, so it fires on a surviving
/// silo and re-activates the shard there). Its tick asks every device the shard knows as online but silent for its
/// offline window to check itself (<see cref="IDeviceGrain.CheckOfflineAsync"/>), which activates a device whose
/// activation was lost. A fixed number of reminders in all, registered when a shard activates, instead of one per device.
/// </para>
/// </remarks>
[Reentrant]
public sealed partial class FleetIndexGrain(
    IDeviceSummaryStore store,
    IOptions<FleetOptions> options,
    TimeProvider time,
    ILogger<FleetIndexGrain> logger) : Grain, IFleetIndexGrain, IRemindable
{
    private const string BackstopReminder = "offline-backstop";

    /// <summary>How soon a failed registration of the backstop reminder is tried again.</summary>
    private static readonly TimeSpan RegisterRetry = TimeSpan.FromMinutes(1);

    /// <summary>Devices a backstop tick asks at once: enough to sweep a large shard quickly, few enough not to flood the silo.</summary>
    private const int ChecksInFlight = 64;

    private readonly FleetOptions _options = options.Value;
    private FleetShard _shard = null!;
    private int _number;
    private long _changes;
    private long _saved;
    private Task _saving = Task.CompletedTask;
    private Task _sweep = Task.CompletedTask;
    private IGrainTimer? _registering;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _number = (int)this.GetPrimaryKeyLong();
        _shard = new FleetShard(await store.ReadShardAsync(_number, cancellationToken));
        if (_options.DurableOfflineWatch)
        {
            // Registered from a timer rather than here, so a reminder table that is down delays the backstop instead
            // of failing the activation, and with it every fleet query and publish.
            _registering = this.RegisterGrainTimer(RegisterBackstopAsync, new GrainTimerCreationOptions(TimeSpan.Zero, RegisterRetry));
        }
    }

    /// <inheritdoc />
    public async Task UpdateAsync(DeviceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (_shard.Apply(summary) != ShardChange.Changed)
        {
            return;
        }

        var mine = ++_changes;
        while (_saved < mine)
        {
            if (_saving.IsCompleted)
            {
                _saving = SaveAsync();
            }

            await _saving;
        }
    }

    /// <inheritdoc />
    public Task<FleetSummary> GetSummaryAsync() => Task.FromResult(_shard.Summary());

    /// <inheritdoc />
    public Task<IReadOnlyList<Alarm>> GetOpenAlarmsAsync(AlarmPageKey? after, int limit, AlarmSeverity? severity) =>
        Task.FromResult<IReadOnlyList<Alarm>>(_shard.OpenAlarms(after, limit, severity));

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != BackstopReminder)
        {
            return Task.CompletedTask;
        }

        // A sweep of a large shard may outlast a period; ticks that come meanwhile join it rather than start another.
        if (_sweep.IsCompleted)
        {
            _sweep = SweepOfflineAsync();
        }

        return _sweep;
    }

    private async Task RegisterBackstopAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Idempotent: the same reminder every activation, one reminder-table write per shard activation.
            await this.RegisterOrUpdateReminder(BackstopReminder, _options.OfflineBackstopPeriod, _options.OfflineBackstopPeriod, cancellationToken);
            _registering?.Dispose();
            _registering = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRegisterFailed(logger, ex, _number, RegisterRetry);
        }
    }

    private async Task SaveAsync()
    {
        var upTo = _changes;
        var rows = _shard.TakeChanged();
        try
        {
            await store.UpsertAsync(_number, rows, CancellationToken.None);
        }
        catch
        {
            _shard.Unwritten(rows);
            throw;
        }

        _saved = upTo;
    }

    private async Task SweepOfflineAsync()
    {
        var overdue = _shard.Overdue(time.GetUtcNow(), _options.OfflineAfter);
        if (overdue.Count == 0)
        {
            return;
        }

        LogSweep(logger, _number, overdue.Count);
        foreach (var chunk in overdue.Chunk(ChecksInFlight))
        {
            await Task.WhenAll(chunk.Select(CheckAsync));
        }
    }

    private async Task CheckAsync(string deviceId)
    {
        try
        {
            // A device that went offline publishes here itself (a new version, written). The answer also carries
            // when it was last heard: a device that is still reporting is then not asked again before its window ends.
            if (await GrainFactory.GetGrain<IDeviceGrain>(deviceId).CheckOfflineAsync() is { } summary)
            {
                await UpdateAsync(summary);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next tick asks again: the device is still overdue in this shard.
            LogCheckFailed(logger, ex, deviceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Offline backstop of index shard {Shard}: asking {Devices} silent devices to check themselves")]
    private static partial void LogSweep(ILogger logger, int shard, int devices);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index shard {Shard} could not register its offline backstop reminder; retrying in {Retry}")]
    private static partial void LogRegisterFailed(ILogger logger, Exception exception, int shard, TimeSpan retry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offline backstop could not check device {DeviceId}; it is asked again on the next tick")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string deviceId);
}
