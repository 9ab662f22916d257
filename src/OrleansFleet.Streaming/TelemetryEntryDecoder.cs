using System.Globalization;

namespace OrleansFleet.Streaming;

/// <summary>
/// Turns a transport entry (device id + wire JSON) into a <see cref="TelemetryBatch"/>, or says why it cannot be
/// delivered. Shared by the Redis and Kafka providers so both accept exactly what the HTTP API accepts.
/// </summary>
public static class TelemetryEntryDecoder
{
    /// <summary>Decodes one entry.</summary>
    /// <param name="deviceId">The entry's device field (<c>d</c> in Redis, the message key in Kafka); null when absent.</param>
    /// <param name="payload">The entry's payload field (<c>p</c>): one event object or an array of events; null when absent.</param>
    /// <param name="partition">The partition the entry was read from.</param>
    /// <param name="partitionCount">The number of partitions.</param>
    /// <param name="limits">Validation bounds.</param>
    /// <param name="now">The clock, for the future-timestamp rule.</param>
    public static TelemetryEntryDecodeResult Decode(string? deviceId, ReadOnlyMemory<byte>? payload, int partition, int partitionCount, TelemetryLimits limits, DateTimeOffset now)
    {
        if (CheckDevice(deviceId, payload, RedisNames) is { } invalid)
        {
            return new(null, invalid);
        }

        var expected = DevicePartitioner.PartitionOf(deviceId!, partitionCount);
        if (expected != partition)
        {
            return new(null, new DeadLetter(
                DeadLetter.KindWrongPartition,
                string.Create(CultureInfo.InvariantCulture, $"device '{deviceId}' belongs to partition {expected} of {partitionCount} (FNV-1a-32 of its UTF-8 id mod {partitionCount}), not {partition}")));
        }

        return DecodePayload(deviceId!, payload!.Value, limits, now, RedisNames);
    }

    /// <summary>
    /// Decodes one entry without checking its partition. For transports whose partition is chosen by someone else
    /// (Kafka's key partitioner, Event Hubs, IoT Hub routing): Orleans delivers a batch container by the stream id it
    /// carries, not by the queue it was read from, so an entry is valid in any partition; a device's order then
    /// comes from its producer keeping it in one partition, and from <c>seq</c> in the device grain.
    /// </summary>
    /// <param name="deviceId">The entry's device id, however the transport carries it; null when absent.</param>
    /// <param name="payload">One event object or an array of events; null when absent.</param>
    /// <param name="limits">Validation bounds.</param>
    /// <param name="now">The clock, for the future-timestamp rule.</param>
    /// <param name="names">How reasons name the device id and the payload (e.g. "the record key", "the record value").</param>
    public static TelemetryEntryDecodeResult DecodeAnyPartition(string? deviceId, ReadOnlyMemory<byte>? payload, TelemetryLimits limits, DateTimeOffset now, EntryFieldNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return CheckDevice(deviceId, payload, names) is { } invalid
            ? new(null, invalid)
            : DecodePayload(deviceId!, payload!.Value, limits, now, names);
    }

    private static readonly EntryFieldNames RedisNames = new("field 'd' (device id)", "field 'p' (telemetry JSON)", "field 'd'", "field 'p'");

    private static DeadLetter? CheckDevice(string? deviceId, ReadOnlyMemory<byte>? payload, EntryFieldNames names)
    {
        if (string.IsNullOrEmpty(deviceId))
        {
            return new DeadLetter(DeadLetter.KindMissingField, $"{names.DeviceLong} is missing or empty");
        }

        if (!DeviceId.IsValid(deviceId))
        {
            return new DeadLetter(DeadLetter.KindInvalid, $"{names.Device} {DeviceId.Rule}");
        }

        return payload is { Length: > 0 } ? null : new DeadLetter(DeadLetter.KindMissingField, $"{names.PayloadLong} is missing or empty");
    }

    private static TelemetryEntryDecodeResult DecodePayload(string deviceId, ReadOnlyMemory<byte> body, TelemetryLimits limits, DateTimeOffset now, EntryFieldNames names)
    {
        var parsed = TelemetryJson.Parse(body.Span, limits, now, allowSingleObject: true);
        if (!parsed.IsValid)
        {
            var errors = string.Join("; ", parsed.Errors!.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
            return new(null, new DeadLetter(DeadLetter.KindInvalid, $"{names.Payload} is not valid telemetry: {errors}"));
        }

        for (var i = 0; i < parsed.Events.Count; i++)
        {
            if (!string.Equals(parsed.Events[i].DeviceId, deviceId, StringComparison.Ordinal))
            {
                return new(null, new DeadLetter(
                    DeadLetter.KindDeviceMismatch,
                    string.Create(CultureInfo.InvariantCulture, $"{names.Payload} $[{i}].deviceId is '{parsed.Events[i].DeviceId}' but {names.Device} is '{deviceId}'; an entry carries one device's events")));
            }
        }

        return new(new TelemetryBatch(parsed.Events), null);
    }
}
