namespace OrleansFleet.Hosting;

/// <summary>Which transport carries the telemetry stream (configuration section <c>Fleet:Streaming</c>).</summary>
public sealed class FleetStreamingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:Streaming";

    /// <summary>The transport.</summary>
    public StreamingProvider Provider { get; set; } = StreamingProvider.Memory;

    /// <summary>Queues (partitions) of the memory stream; devices hash onto them.</summary>
    public int MemoryPartitions { get; set; } = 8;
}

/// <summary>The telemetry stream transports.</summary>
public enum StreamingProvider
{
    /// <summary>Orleans memory streams: the embedded default, nothing to install, not durable.</summary>
    Memory = 0,

    /// <summary>Redis Streams (<c>ConnectionStrings:Redis</c>, options under <c>Fleet:Streaming:Redis</c>): durable, shared by silos.</summary>
    Redis = 1,

    /// <summary>Azure Event Hubs through <c>Microsoft.Orleans.Streaming.EventHubs</c>: the Azure mode's transport.</summary>
    EventHubs = 2,
}
