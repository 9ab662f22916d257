using Azure.Messaging.EventHubs;
using Orleans.Streaming.EventHubs;

namespace OrleansFleet.Streaming.EventHubs.Tests;

/// <summary>
/// What the provider's <c>PartitionReceiver</c> does, on a <see cref="FakeEventHub"/> partition: hands out the
/// partition's events in order from where it was opened, waiting up to the receive timeout for new ones.
/// </summary>
public sealed class FakeEventHubReceiver : IEventHubReceiver
{
    private readonly FakeEventHub _hub;
    private readonly int _partition;
    private int _position;

    internal FakeEventHubReceiver(FakeEventHub hub, int partition, int position)
    {
        _hub = hub;
        _partition = partition;
        _position = position;
    }

    /// <inheritdoc />
    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IEnumerable<EventData>> ReceiveAsync(int maxCount, TimeSpan waitTime) => ReceiveAsync(maxCount, waitTime, CancellationToken.None);

    /// <inheritdoc />
    public async Task<IEnumerable<EventData>> ReceiveAsync(int maxCount, TimeSpan waitTime, CancellationToken cancellationToken)
    {
        var (events, appended) = _hub.Read(_partition, _position, maxCount);
        if (events.Count == 0)
        {
            // Like the service: wait for new events until the receive timeout, then answer empty.
            await Task.WhenAny(appended, Task.Delay(waitTime, cancellationToken));
            (events, _) = _hub.Read(_partition, _position, maxCount);
        }

        _position += events.Count;
        return events;
    }

    /// <inheritdoc />
    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task CloseAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task CloseAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
