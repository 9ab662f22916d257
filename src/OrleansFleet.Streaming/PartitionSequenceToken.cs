using System.Globalization;

using Orleans.Streams;

namespace OrleansFleet.Streaming;

/// <summary>
/// Orders batches inside one pulling agent's queue cache. Orleans' cache and cursors compare tokens to know what is
/// older; they never outlive the receiver that made them, because the provider is not rewindable
/// (<c>IQueueAdapter.IsRewindable</c> is false, so consumers never hand tokens back). That lets
/// <see cref="SequenceNumber"/> be a position the receiver counts up itself: a redelivered entry gets a new, larger
/// position, which the transport's own ids (Redis entry ids) could not give it.
/// <see cref="Position"/> keeps the transport's id for acknowledgement and for logs. On Event Hubs (Orleans' own
/// provider, rewindable) the service numbers each partition itself: the token carries its sequence number and offset.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.PartitionSequenceToken")]
public sealed class PartitionSequenceToken : StreamSequenceToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="sequenceNumber">The receiver's position of the batch.</param>
    /// <param name="eventIndex">Index of the event inside the batch.</param>
    /// <param name="position">The transport's id of the entry (Redis entry id).</param>
    public PartitionSequenceToken(long sequenceNumber, int eventIndex, string position)
    {
        SequenceNumber = sequenceNumber;
        EventIndex = eventIndex;
        Position = position;
    }

    /// <inheritdoc />
    [Id(0)]
    public override long SequenceNumber { get; protected set; }

    /// <inheritdoc />
    [Id(1)]
    public override int EventIndex { get; protected set; }

    /// <summary>The transport's id of the entry this batch came from.</summary>
    [Id(2)]
    public string Position { get; private set; }

    /// <inheritdoc />
    public override bool Equals(StreamSequenceToken? other) =>
        other is PartitionSequenceToken token && token.SequenceNumber == SequenceNumber && token.EventIndex == EventIndex;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as StreamSequenceToken);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(SequenceNumber, EventIndex);

    /// <inheritdoc />
    public override int CompareTo(StreamSequenceToken? other)
    {
        if (other is null)
        {
            return 1;
        }

        var difference = SequenceNumber.CompareTo(other.SequenceNumber);
        return difference != 0 ? difference : EventIndex.CompareTo(other.EventIndex);
    }

    /// <inheritdoc />
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "[{0}.{1} at {2}]", SequenceNumber, EventIndex, Position);
}
