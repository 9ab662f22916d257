namespace OrleansFleet.Streaming;

/// <summary>The Orleans stream of a telemetry partition: namespace <see cref="TelemetryStream.Namespace"/>, key = the partition number.</summary>
public static class TelemetryPartitionStream
{
    /// <summary>The stream of partition <paramref name="partition"/>.</summary>
    public static StreamId Of(int partition) => StreamId.Create(TelemetryStream.Namespace, partition);
}
