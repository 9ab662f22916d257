using OrleansFleet.Bench.Measurement;
using OrleansFleet.Grains.Domain;
using OrleansFleet.Grains.State;

namespace OrleansFleet.Bench.Raw;

/// <summary>Raw Orleans, in memory: each call applies its events to the device model and returns. No state is written.</summary>
public sealed class RawMemoryDeviceGrain : Grain, IRawMemoryDeviceGrain
{
    private DeviceModel? _model;

    /// <inheritdoc />
    public Task ApplyAsync(RawBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var model = _model ??= DeviceApplier.NewModel(this.GetPrimaryKeyString(), new DeviceState());
        var now = DateTimeOffset.UtcNow;
        foreach (var telemetry in batch.Events)
        {
            DeviceApplier.Receive(model, telemetry, now);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<DeviceCheck> CheckAsync() =>
        Task.FromResult(DeviceApplier.Check(_model ?? DeviceApplier.NewModel(this.GetPrimaryKeyString(), new DeviceState())));
}
