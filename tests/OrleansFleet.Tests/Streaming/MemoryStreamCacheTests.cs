using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Streaming;

/// <summary>
/// The embedded host's memory stream cache keeps delivered batches for minutes, not Orleans' default half hour (the
/// memory growth the soak found: about 1 GiB at a steady 4,500 events/s before it would level off), yet long enough
/// that the backlog the ingest budget admits is delivered before its batches can be purged.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MemoryStreamCacheTests(ApiFactory factory)
{
    [Fact]
    public void The_memory_stream_cache_is_bounded_to_minutes_and_outlasts_the_admitted_backlog()
    {
        // The options Orleans' memory adapter factory reads: named after the stream provider.
        var eviction = factory.Services.GetRequiredService<IOptionsMonitor<StreamCacheEvictionOptions>>().Get(TelemetryStream.ProviderName);
        var budget = factory.Services.GetRequiredService<IOptions<TelemetryLimits>>().Value.MaxUnappliedEvents;

        // A batch goes once it has been cached DataMinTimeInCache and DataMaxAgeInCache of newer traffic is behind it.
        Assert.InRange(eviction.DataMaxAgeInCache, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        Assert.InRange(eviction.DataMinTimeInCache, TimeSpan.Zero, eviction.DataMaxAgeInCache);
        Assert.True(eviction.MetadataMinTimeInCache is null || eviction.MetadataMinTimeInCache <= TimeSpan.FromMinutes(5));

        // The consumer lags at most the budget behind the newest append; at or above this apply rate the whole
        // backlog is delivered within the window, so nothing accepted is purged unread.
        var applyRateNeeded = budget / eviction.DataMaxAgeInCache.TotalSeconds;
        Assert.True(applyRateNeeded <= 1_000, $"the window needs {applyRateNeeded:N0} events/s applied to outlast a backlog of {budget:N0}");
    }
}
