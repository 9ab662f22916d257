using Orleans.Streams;

namespace OrleansFleet.Streaming;

/// <summary>
/// Tells a partition's receiver which batch its consumer could not process. Orleans' pulling agent retries a failed
/// delivery with back-off for <c>StreamPullingAgentOptions.MaxEventDeliveryTime</c>; when that runs out it marks the
/// cache item as failed (so the cache leaves it out of the "delivered" list it hands to
/// <c>IQueueAdapterReceiver.MessagesDeliveredAsync</c>), calls this handler with the batch's token, and moves on to the
/// stream's next batch. Without this hook the entry would simply stay unacknowledged and unseen until the partition
/// changes hands; with it, the receiver re-queues the entry and, after a bounded number of attempts, dead-letters it.
/// </summary>
/// <param name="onDeliveryFailure">Called with the failed batch's token.</param>
public sealed class PartitionDeliveryFailureHandler(Action<PartitionSequenceToken> onDeliveryFailure) : IStreamFailureHandler
{
    /// <summary>Never fault: device grains use implicit subscriptions, which Orleans does not fault anyway.</summary>
    public bool ShouldFaultSubsriptionOnError => false;

    /// <inheritdoc />
    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        if (sequenceToken is PartitionSequenceToken token)
        {
            onDeliveryFailure(token);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) => Task.CompletedTask;
}
