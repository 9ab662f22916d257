namespace OrleansFleet;

/// <summary>
/// Names of the telemetry stream. Each partition has its own Orleans stream (namespace <see cref="Namespace"/>,
/// integer key = the partition number, <c>StreamId.Create(Namespace, partition)</c>) carrying <see cref="TelemetryBatch"/> items of many devices; the partition's
/// consumer grain subscribes to it implicitly and hands each device its slice. A device's partition is a fixed,
/// documented hash of its id (<c>DevicePartitioner</c>), so producers in any language agree on it. Which transport
/// carries the stream (memory, Redis Streams) is the provider's business.
/// </summary>
public static class TelemetryStream
{
    /// <summary>The name the stream provider is registered under.</summary>
    public const string ProviderName = "telemetry";

    /// <summary>The stream namespace; the stream key is the partition number.</summary>
    public const string Namespace = "telemetry";
}
