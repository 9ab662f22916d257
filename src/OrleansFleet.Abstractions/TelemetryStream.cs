namespace OrleansFleet;

/// <summary>
/// Names of the telemetry stream. Each device has its own stream (namespace <see cref="Namespace"/>, key = device id)
/// carrying <see cref="TelemetryBatch"/> items; device grains subscribe to it implicitly, so publishing to a device's
/// stream is all a producer does. Which transport carries it (memory, Redis Streams) is the provider's business.
/// </summary>
public static class TelemetryStream
{
    /// <summary>The name the stream provider is registered under.</summary>
    public const string ProviderName = "telemetry";

    /// <summary>The stream namespace; the stream key is the device id.</summary>
    public const string Namespace = "telemetry";
}
