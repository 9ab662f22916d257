using Azure.Messaging.EventHubs;

namespace OrleansFleet.Streaming.EventHubs;

/// <summary>
/// Sends events to one hub with one partition key: the part of <c>EventHubProducerClient</c> this provider uses, behind
/// an interface so the in-process tests can stand in for the service.
/// </summary>
public interface IEventHubSender
{
    /// <summary>Sends <paramref name="events"/> as one batch: stored together on the partition the key hashes to, or not at all.</summary>
    Task SendAsync(IReadOnlyList<EventData> events, string partitionKey, CancellationToken cancellationToken);

    /// <summary>Asks the hub for its metadata: completes when the service answered, throws when it cannot be reached.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}
