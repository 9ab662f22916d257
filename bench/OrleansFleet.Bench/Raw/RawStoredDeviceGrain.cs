using OrleansFleet.Bench.Measurement;
using OrleansFleet.Grains.Domain;
using OrleansFleet.Grains.State;

namespace OrleansFleet.Bench.Raw;

/// <summary>
/// Raw Orleans with one state write per call: the same apply as <see cref="RawMemoryDeviceGrain"/>, then the whole
/// device state written to the default grain storage (memory storage with Orleans' binary serializer, as the host's
/// embedded mode), awaited before the call returns.
/// </summary>
public sealed class RawStoredDeviceGrain([PersistentState("raw-device")] IPersistentState<DeviceState> state) : Grain, IRawStoredDeviceGrain
{
    private DeviceModel? _model;

    /// <inheritdoc />
    public async Task ApplyAsync(RawBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var model = _model ??= DeviceApplier.NewModel(this.GetPrimaryKeyString(), state.State);
        var now = DateTimeOffset.UtcNow;
        foreach (var telemetry in batch.Events)
        {
            DeviceApplier.Receive(model, telemetry, now);
        }

        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<DeviceCheck> CheckAsync() => Task.FromResult(DeviceApplier.Check(_model ?? DeviceApplier.NewModel(this.GetPrimaryKeyString(), state.State)));
}
