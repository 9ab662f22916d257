namespace OrleansFleet.Streaming;

/// <summary>How a producer hands a whole request to an <see cref="ITelemetryAppender"/>: the API's ingestor and the benchmark alike.</summary>
public static class TelemetryAppenderExtensions
{
    /// <summary>
    /// Appends one request: its events grouped by partition (<see cref="DevicePartitioner"/>), request order kept within
    /// each partition, one append per partition, all of them or none.
    /// </summary>
    /// <exception cref="TelemetryStreamUnavailableException">The stream refused the request; nothing of it was appended.</exception>
    public static Task AppendRequestAsync(this ITelemetryAppender appender, IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appender);
        return appender.AppendAsync(ByPartition(events, appender.PartitionCount), cancellationToken);
    }

    /// <summary>Groups <paramref name="events"/> into one append per partition that has any, partitions in ascending order.</summary>
    public static List<PartitionAppend> ByPartition(IReadOnlyList<TelemetryEvent> events, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(events);
        var byPartition = new List<TelemetryEvent>?[partitionCount];
        for (var i = 0; i < events.Count; i++)
        {
            var telemetry = events[i];
            (byPartition[DevicePartitioner.PartitionOf(telemetry.DeviceId, partitionCount)] ??= []).Add(telemetry);
        }

        var appends = new List<PartitionAppend>(Math.Min(partitionCount, events.Count));
        for (var p = 0; p < partitionCount; p++)
        {
            if (byPartition[p] is { } list)
            {
                appends.Add(new PartitionAppend(p, list));
            }
        }

        return appends;
    }
}
