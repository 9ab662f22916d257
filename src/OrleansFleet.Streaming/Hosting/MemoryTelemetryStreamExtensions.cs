using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansFleet.Streaming.Hosting;

/// <summary>The telemetry stream on Orleans memory streams, wired the same way wherever a silo runs it (host, tests, bench).</summary>
public static class MemoryTelemetryStreamExtensions
{
    /// <summary>
    /// Adds memory streams under <see cref="TelemetryStream.ProviderName"/> with <paramref name="partitions"/> queues,
    /// the appender with its admission budget (<c>Fleet:Ingest:MaxUnappliedEvents</c>), and the (empty) committer.
    /// Orleans' memory provider maps streams to queues with its own hash ring, so a partition stream has one queue
    /// but two partitions may share one; order per partition stream is all the delivery needs.
    /// </summary>
    public static ISiloBuilder AddMemoryTelemetryStreams(this ISiloBuilder silo, int partitions)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        silo.AddMemoryStreams(TelemetryStream.ProviderName, streams => streams.ConfigurePartitioning(partitions));
        silo.Services.AddOptions<TelemetryLimits>();
        silo.Services.AddSingleton(sp => new IngestBudget(sp.GetRequiredService<IOptions<TelemetryLimits>>().Value.MaxUnappliedEvents));
        silo.Services.AddKeyedSingleton<ITelemetryStreamCommitter, MemoryStreamCommitter>(TelemetryStream.ProviderName);
        silo.Services.AddKeyedSingleton<ITelemetryAppender>(TelemetryStream.ProviderName, (sp, _) => new MemoryTelemetryAppender(
            sp.GetRequiredService<IClusterClient>(),
            partitions,
            sp.GetRequiredService<IngestBudget>(),
            sp.GetRequiredService<IOptions<TelemetryLimits>>().Value.RetryAfter,
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return silo;
    }
}
