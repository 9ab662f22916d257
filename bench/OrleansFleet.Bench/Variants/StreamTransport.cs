namespace OrleansFleet.Bench.Variants;

/// <summary>What carries the telemetry stream in a stream variant (the host's <c>Fleet:Streaming:Provider</c>).</summary>
public enum StreamTransport
{
    /// <summary>Orleans memory streams: in-silo queue grains, nothing to install.</summary>
    Memory,

    /// <summary>The fleet's Redis Streams provider on a private redis-server.</summary>
    Redis,
}
