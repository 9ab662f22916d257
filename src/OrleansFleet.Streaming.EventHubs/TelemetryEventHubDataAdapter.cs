using System.Globalization;

using Azure.Messaging.EventHubs;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace OrleansFleet.Streaming.EventHubs;

/// <summary>
/// Reads the fleet's JSON events from Event Hubs for Orleans' Event Hubs provider, onto the partition-level delivery.
/// <para>
/// Format (what gateways, IoT Hub routing or Stream Analytics write): the body of an <see cref="EventData"/> is one
/// telemetry event or an array of them, in the API's wire format, validated with the API's reader and limits
/// (<c>Fleet:Ingest</c>); the partition key is the device id, and every event of the body is that device's.
/// </para>
/// <para>
/// Mapping: an event read from Event Hubs partition <c>n</c> goes to the stream of telemetry partition <c>n</c>
/// (<see cref="TelemetryPartitionStream.Of"/>), consumed by <c>TelemetryPartitionGrain</c> <c>n</c> exactly as on Redis.
/// The service keeps one partition key on one partition in order, so a device's events reach one partition grain in
/// the order they were stored; the partition count is the hub's. The token is the Event Hubs sequence number
/// (ordering) and offset (the checkpoint).
/// </para>
/// <para>
/// Decoding happens once, when the receiver caches the event: the events go into the cache as Orleans-serialized
/// <see cref="TelemetryBatch"/>; an undecodable event goes to the dead-letter hub with its reason and stays in the
/// cache as an empty batch, so its position is delivered and committed in order like any other.
/// </para>
/// </summary>
public sealed class TelemetryEventHubDataAdapter(
    Serializer<TelemetryBatch> serializer,
    EventHubDeadLetters deadLetters,
    TelemetryLimits limits,
    TimeProvider time) : IEventHubDataAdapter
{
    private static readonly TelemetryBatch Empty = new([]);

    /// <inheritdoc />
    public StreamPosition GetStreamPosition(string partition, EventData queueMessage)
    {
        ArgumentNullException.ThrowIfNull(queueMessage);
        return new StreamPosition(TelemetryPartitionStream.Of(PartitionNumber(partition)), Token(queueMessage.SequenceNumber, queueMessage.OffsetString));
    }

    /// <inheritdoc />
    public CachedMessage FromQueueMessage(StreamPosition position, EventData queueMessage, DateTime dequeueTime, Func<int, ArraySegment<byte>> getSegment)
    {
        ArgumentNullException.ThrowIfNull(position);
        ArgumentNullException.ThrowIfNull(queueMessage);
        ArgumentNullException.ThrowIfNull(getSegment);
        var batch = Decode(position, queueMessage);
        var payload = serializer.SerializeToArray(batch);
        var offset = queueMessage.OffsetString;
        var segment = getSegment(SegmentBuilder.CalculateAppendSize(offset) + SegmentBuilder.CalculateAppendSize(payload));
        var write = 0;
        SegmentBuilder.Append(segment, ref write, offset);
        SegmentBuilder.Append(segment, ref write, payload);
        return new CachedMessage
        {
            StreamId = position.StreamId,
            SequenceNumber = queueMessage.SequenceNumber,
            EventIndex = 0,
            EnqueueTimeUtc = queueMessage.EnqueuedTime.UtcDateTime,
            DequeueTimeUtc = dequeueTime,
            Segment = segment,
        };
    }

    /// <inheritdoc />
    public IBatchContainer GetBatchContainer(ref CachedMessage cachedMessage)
    {
        var read = 0;
        var offset = SegmentBuilder.ReadNextString(cachedMessage.Segment, ref read) ?? "";
        var payload = SegmentBuilder.ReadNextBytes(cachedMessage.Segment, ref read);
        var batch = serializer.Deserialize(payload.AsSpan()) ?? Empty;
        return new TelemetryBatchContainer(cachedMessage.StreamId, batch, Token(cachedMessage.SequenceNumber, offset));
    }

    /// <inheritdoc />
    public StreamSequenceToken GetSequenceToken(ref CachedMessage cachedMessage)
    {
        var read = 0;
        return Token(cachedMessage.SequenceNumber, SegmentBuilder.ReadNextString(cachedMessage.Segment, ref read) ?? "");
    }

    /// <inheritdoc />
    public string GetOffset(CachedMessage cachedMessage)
    {
        var read = 0;
        return SegmentBuilder.ReadNextString(cachedMessage.Segment, ref read)
            ?? throw new InvalidOperationException("A cached telemetry event is missing its Event Hubs offset.");
    }

    /// <inheritdoc />
    /// <remarks>The stream depends on the partition an event was read from, which the event alone does not say.</remarks>
    public StreamId GetStreamIdentity(EventData queueMessage) =>
        throw new NotSupportedException("Telemetry streams follow the Event Hubs partition an event was read from; use GetStreamPosition.");

    /// <inheritdoc />
    public string GetPartitionKey(StreamId streamId) =>
        throw new NotSupportedException("Telemetry is produced per device with the device id as partition key (EventHubTelemetryAppender), not per stream.");

    /// <inheritdoc />
    public EventData ToQueueMessage<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException("Telemetry is produced per device with the device id as partition key (EventHubTelemetryAppender), not through the stream API.");

    private TelemetryBatch Decode(StreamPosition position, EventData message)
    {
        var partition = PartitionNumber(position.StreamId).ToString(CultureInfo.InvariantCulture);
        if (message.PartitionKey is not { Length: > 0 } deviceId)
        {
            // Without the device as partition key the service spreads a device over partitions, and its events would
            // race each other through several partition consumers.
            deadLetters.Add(partition, message, new DeadLetter(DeadLetter.KindMissingField, "partition key (the device id) is missing"));
            return Empty;
        }

        var decoded = TelemetryEntryDecoder.DecodeEvents(deviceId, message.EventBody.ToMemory(), limits, time.GetUtcNow(), "partition key", "body");
        if (decoded.DeadLetter is { } dead)
        {
            deadLetters.Add(partition, message, dead);
            return Empty;
        }

        return new TelemetryBatch(decoded.Events!, message.EnqueuedTime);
    }

    private static PartitionSequenceToken Token(long sequenceNumber, string offset) => new(sequenceNumber, 0, offset);

    private static int PartitionNumber(StreamId streamId) => int.Parse(streamId.GetKeyAsString(), NumberStyles.None, CultureInfo.InvariantCulture);

    private static int PartitionNumber(string partition) =>
        int.TryParse(partition, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new NotSupportedException($"Event Hubs partition id '{partition}' is not a number; telemetry partitions are numbered.");
}
