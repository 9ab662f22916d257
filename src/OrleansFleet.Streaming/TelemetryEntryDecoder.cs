using System.Globalization;

namespace OrleansFleet.Streaming;

/// <summary>
/// Turns a transport entry (wire JSON, optionally naming one device) into events of its partition, or says why it
/// cannot be delivered. It validates with <see cref="TelemetryJson.Parse"/> and the same <see cref="TelemetryLimits"/>
/// (<c>Fleet:Ingest</c>) as the HTTP API, so an event the API accepts is never dead-lettered as invalid here.
/// </summary>
public static class TelemetryEntryDecoder
{
    /// <summary>Decodes one entry.</summary>
    /// <param name="deviceId">
    /// The entry's device field (<c>d</c> in Redis), when a producer wrote one device's events; null when absent, as in
    /// the API's entries, which carry many devices of one partition.
    /// </param>
    /// <param name="payload">The entry's payload field (<c>p</c>): one event object or an array of events; null when absent.</param>
    /// <param name="partition">The partition the entry was read from.</param>
    /// <param name="partitionCount">The number of partitions.</param>
    /// <param name="limits">Validation bounds: the API's.</param>
    /// <param name="now">The clock, for the future-timestamp rule.</param>
    public static TelemetryEntryDecodeResult Decode(string? deviceId, ReadOnlyMemory<byte>? payload, int partition, int partitionCount, TelemetryLimits limits, DateTimeOffset now)
    {
        var decoded = DecodeEvents(deviceId, payload, limits, now, "field 'd'", "field 'p'");
        if (decoded.Events is not { } events)
        {
            return decoded;
        }

        for (var i = 0; i < events.Count; i++)
        {
            var eventDevice = events[i].DeviceId;
            var expected = DevicePartitioner.PartitionOf(eventDevice, partitionCount);
            if (expected != partition)
            {
                // In another partition it would be ordered against the wrong stream, and could overtake its device's events.
                return Invalid(DeadLetter.KindWrongPartition, string.Create(CultureInfo.InvariantCulture,
                    $"device '{eventDevice}' belongs to partition {expected} of {partitionCount} (FNV-1a-32 of its UTF-8 id mod {partitionCount}), not {partition}"));
            }
        }

        return decoded;
    }

    /// <summary>
    /// Decodes one entry without the partition rule, for transports that choose the partition themselves (Event Hubs
    /// hashes the partition key): the payload is valid telemetry and, when the entry names a device, all its events are that device's.
    /// </summary>
    /// <param name="deviceId">The device the entry names (Redis field <c>d</c>, Event Hubs partition key), or null.</param>
    /// <param name="payload">One event object or an array of events; null when absent.</param>
    /// <param name="limits">Validation bounds: the API's.</param>
    /// <param name="now">The clock, for the future-timestamp rule.</param>
    /// <param name="deviceField">How reasons name the device field.</param>
    /// <param name="payloadField">How reasons name the payload.</param>
    public static TelemetryEntryDecodeResult DecodeEvents(string? deviceId, ReadOnlyMemory<byte>? payload, TelemetryLimits limits, DateTimeOffset now, string deviceField, string payloadField)
    {
        if (deviceId is not null && !DeviceId.IsValid(deviceId))
        {
            return Invalid(DeadLetter.KindInvalid, $"{deviceField} {DeviceId.Rule}");
        }

        if (payload is not { Length: > 0 } body)
        {
            return Invalid(DeadLetter.KindMissingField, $"{payloadField} (telemetry JSON) is missing or empty");
        }

        var parsed = TelemetryJson.Parse(body.Span, limits, now, allowSingleObject: true);
        if (!parsed.IsValid)
        {
            var errors = string.Join("; ", parsed.Errors!.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
            return Invalid(DeadLetter.KindInvalid, $"{payloadField} is not valid telemetry: {errors}");
        }

        for (var i = 0; i < parsed.Events.Count; i++)
        {
            var eventDevice = parsed.Events[i].DeviceId;
            if (deviceId is not null && !string.Equals(eventDevice, deviceId, StringComparison.Ordinal))
            {
                return Invalid(DeadLetter.KindDeviceMismatch, string.Create(CultureInfo.InvariantCulture,
                    $"{payloadField} $[{i}].deviceId is '{eventDevice}' but {deviceField} is '{deviceId}'; an entry naming a device carries that device's events only"));
            }
        }

        return new(parsed.Events, null);
    }

    private static TelemetryEntryDecodeResult Invalid(string kind, string reason) => new(null, new DeadLetter(kind, reason));
}
