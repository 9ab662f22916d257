using Orleans.Streams;
using Orleans.Streams.Core;

namespace OrleansFleet.Streaming.Testing;

/// <summary>The test's stand-in for the device grain.</summary>
public interface ITestTelemetryConsumerGrain : IGrainWithStringKey;

/// <summary>
/// Stands in for the device grain: implicitly subscribed to every device's telemetry stream (Orleans activates it
/// when the device's first batch arrives), it applies batches through <see cref="DeliveryRecorder"/>. Its
/// <c>OnNextAsync</c> completing is what lets the pulling agent move on, and so what makes the entry acknowledgeable.
/// </summary>
[ImplicitStreamSubscription(TelemetryStream.Namespace)]
public sealed class TestTelemetryConsumerGrain : Grain, ITestTelemetryConsumerGrain, IStreamSubscriptionObserver, IAsyncObserver<TelemetryBatch>
{
    /// <inheritdoc />
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<TelemetryBatch>().ResumeAsync(this);
    }

    /// <inheritdoc />
    public Task OnNextAsync(TelemetryBatch item, StreamSequenceToken? token = null)
    {
        DeliveryRecorder.Apply(item);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
