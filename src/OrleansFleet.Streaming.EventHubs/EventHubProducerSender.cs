using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;

namespace OrleansFleet.Streaming.EventHubs;

/// <summary>
/// <see cref="IEventHubSender"/> on <c>EventHubProducerClient</c>. <c>SendAsync</c> with a partition key publishes the
/// events as one batch: the service stores all of them on the key's partition or none, and the call completes only when
/// they are stored (which is what lets the API answer 202).
/// </summary>
public sealed class EventHubProducerSender(EventHubProducerClient client) : IEventHubSender, IAsyncDisposable
{
    /// <inheritdoc />
    public Task SendAsync(IReadOnlyList<EventData> events, string partitionKey, CancellationToken cancellationToken) =>
        client.SendAsync(events, new SendEventOptions { PartitionKey = partitionKey }, cancellationToken);

    /// <inheritdoc />
    public Task ProbeAsync(CancellationToken cancellationToken) => client.GetEventHubPropertiesAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => client.DisposeAsync();
}
