using System.Collections.Concurrent;

using Orleans.Streams;
using Orleans.Streams.Core;

namespace OrleansFleet.Streaming.Kafka.LiveTests;

/// <summary>A stand-in device grain: implicitly subscribed, records the last seq each device applied.</summary>
public interface ILiveConsumerGrain : IGrainWithStringKey;

/// <inheritdoc cref="ILiveConsumerGrain"/>
[ImplicitStreamSubscription(TelemetryStream.Namespace)]
public sealed class LiveConsumerGrain : Grain, ILiveConsumerGrain, IStreamSubscriptionObserver, IAsyncObserver<TelemetryBatch>
{
    /// <summary>The highest seq applied per device.</summary>
    public static ConcurrentDictionary<string, long> LastSeq { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<TelemetryBatch>().ResumeAsync(this);
    }

    /// <inheritdoc />
    public Task OnNextAsync(TelemetryBatch item, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        foreach (var e in item.Events)
        {
            LastSeq.AddOrUpdate(e.DeviceId, e.Seq ?? 0, (_, last) => Math.Max(last, e.Seq ?? 0));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
