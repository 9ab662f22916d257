using System.Collections.Concurrent;
using System.Globalization;

using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Logging;

namespace OrleansFleet.Streaming.EventHubs;

/// <summary>
/// Moves undecodable events to the dead-letter hub with their reason. Orleans' Event Hubs provider would otherwise
/// deliver them, fail, and after <c>MaxEventDeliveryTime</c> skip them silently. The data adapter finds them when the
/// receiver caches them (a synchronous step), so it only queues them here; sending starts at once, and the partition's
/// committer awaits <see cref="FlushAsync"/> before it checkpoints, so the checkpoint never moves past an event that
/// is neither delivered nor stored as a dead letter.
/// </summary>
public sealed partial class EventHubDeadLetters(IEventHubSender deadLetterHub, string sourceHub, ILogger<EventHubDeadLetters> logger, StreamingMetrics metrics, string providerName)
{
    // Per partition, per source offset: the letter and its send in flight (or done, or failed).
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Pending>> _pending = new(StringComparer.Ordinal);
    private long _sent;

    /// <summary>Dead letters stored so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Queues <paramref name="source"/>, read from <paramref name="partition"/>, as dead because of <paramref name="deadLetter"/>, and starts sending it.</summary>
    public void Add(string partition, EventData source, DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(deadLetter);
        var letter = new EventData(source.EventBody);
        foreach (var (property, value) in source.Properties)
        {
            letter.Properties[property] = value;
        }

        letter.Properties[DeadLetter.KindField] = deadLetter.Kind;
        letter.Properties[DeadLetter.ReasonField] = deadLetter.Reason;
        letter.Properties[DeadLetter.SourceField] = $"{sourceHub}/{partition}";
        letter.Properties[DeadLetter.SourceIdField] = source.OffsetString;
        var partitionKey = source.PartitionKey is { Length: > 0 } key ? key : partition;
        var pending = _pending.GetOrAdd(partition, _ => new(StringComparer.Ordinal));
        // A partition read again (after a restart or a rebalance) finds the same events: one letter per source offset.
        pending.GetOrAdd(source.OffsetString, _ => Start(new Pending(letter, partitionKey, deadLetter, Task.CompletedTask)));
    }

    /// <summary>
    /// Records that the consumer of <paramref name="partition"/> gave up on the event at <paramref name="token"/> after
    /// <c>MaxEventDeliveryTime</c>: the letter names where the event is (it stays in the hub for its retention).
    /// </summary>
    public void AddDeliveryFailure(string partition, PartitionSequenceToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var source = EventHubsModelFactory.EventData(
            BinaryData.Empty,
            partitionKey: partition,
            offsetString: token.Position,
            sequenceNumber: token.SequenceNumber);
        Add(partition, source, new DeadLetter(DeadLetter.KindDeliveryFailed, string.Create(CultureInfo.InvariantCulture,
            $"the consumer failed on the event at offset {token.Position} (sequence number {token.SequenceNumber}) of partition {partition} until MaxEventDeliveryTime; it was skipped")));
    }

    /// <summary>Waits until every dead letter of <paramref name="partition"/> is stored; a failed send is started again and the flush fails.</summary>
    public async Task FlushAsync(string partition, CancellationToken cancellationToken)
    {
        if (!_pending.TryGetValue(partition, out var pending))
        {
            return;
        }

        foreach (var (offset, entry) in pending)
        {
            try
            {
                await entry.Send.WaitAsync(cancellationToken);
                pending.TryRemove(new KeyValuePair<string, Pending>(offset, entry));
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Until it is stored, the partition's checkpoint stays where it is; the next barrier flushes again.
                pending[offset] = Start(entry);
                throw;
            }
        }
    }

    private Pending Start(Pending entry) => entry with { Send = SendAsync(entry) };

    private async Task SendAsync(Pending entry)
    {
        await deadLetterHub.SendAsync([entry.Letter], entry.PartitionKey, CancellationToken.None);
        Interlocked.Increment(ref _sent);
        metrics.RecordDeadLetter(providerName, entry.DeadLetter);
        LogDeadLettered(logger, entry.Letter.Properties[DeadLetter.SourceField], entry.Letter.Properties[DeadLetter.SourceIdField], entry.DeadLetter.Kind, entry.DeadLetter.Reason);
    }

    private sealed record Pending(EventData Letter, string PartitionKey, DeadLetter DeadLetter, Task Send);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {Source} at offset {Offset} dead-lettered ({Kind}): {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, object source, object offset, string kind, string reason);
}
