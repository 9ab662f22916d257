using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Raw;

/// <summary>
/// A bench-only device grain: the project's domain code on a plain Orleans grain, nothing of OrleansFleet's plumbing
/// around it (no writer, no fleet index, no reminder, no stream). It is the runtime's own ceiling for the same calls.
/// </summary>
[Alias("bench.IRawDeviceGrain")]
public interface IRawDeviceGrain : IGrainWithStringKey
{
    /// <summary>Applies one batch of the device's events, in seq order.</summary>
    [Alias("apply")]
    Task ApplyAsync(RawBatch batch);

    /// <summary>What the device ended with, for the checks.</summary>
    [Alias("check")]
    Task<DeviceCheck> CheckAsync();
}

/// <summary>The raw grain that keeps its device model in memory only.</summary>
[Alias("bench.IRawMemoryDeviceGrain")]
public interface IRawMemoryDeviceGrain : IRawDeviceGrain;

/// <summary>The raw grain that writes its whole device state to grain storage once per call.</summary>
[Alias("bench.IRawStoredDeviceGrain")]
public interface IRawStoredDeviceGrain : IRawDeviceGrain;

/// <summary>
/// One call's events. <c>[Immutable]</c> as the product's batch is, so a local call does not deep-copy it; the
/// bench's own type, so the reference rows do not change when the product's batch contract does.
/// </summary>
[GenerateSerializer, Immutable, Alias("bench.RawBatch")]
public sealed record class RawBatch([property: Id(0)] TelemetryEvent[] Events);
