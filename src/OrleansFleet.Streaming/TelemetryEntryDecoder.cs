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
        if (string.IsNullOrEmpty(deviceId))
        {
            return new(null, new DeadLetter(DeadLetter.KindMissingField, "field 'd' (device id) is missing or empty"));
        }

        if (!DeviceId.IsValid(deviceId))
        {
            return new(null, new DeadLetter(DeadLetter.KindInvalid, $"field 'd' {DeviceId.Rule}"));
        }

        if (payload is not { Length: > 0 } body)
        {
            return new(null, new DeadLetter(DeadLetter.KindMissingField, "field 'p' (telemetry JSON) is missing or empty"));
        }

        var expected = DevicePartitioner.PartitionOf(deviceId, partitionCount);
        if (expected != partition)
        {
            return new(null, new DeadLetter(
                DeadLetter.KindWrongPartition,
                string.Create(CultureInfo.InvariantCulture, $"device '{deviceId}' belongs to partition {expected} of {partitionCount} (FNV-1a-32 of its UTF-8 id mod {partitionCount}), not {partition}")));
        }

        var parsed = TelemetryJson.Parse(body.Span, limits, now, allowSingleObject: true);
        if (!parsed.IsValid)
        {
            var errors = string.Join("; ", parsed.Errors!.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
            return new(null, new DeadLetter(DeadLetter.KindInvalid, $"field 'p' is not valid telemetry: {errors}"));
        }

        for (var i = 0; i < parsed.Events.Count; i++)
        {
            if (!string.Equals(parsed.Events[i].DeviceId, deviceId, StringComparison.Ordinal))
            {
                return new(null, new DeadLetter(
                    DeadLetter.KindDeviceMismatch,
                    string.Create(CultureInfo.InvariantCulture, $"field 'p' $[{i}].deviceId is '{parsed.Events[i].DeviceId}' but field 'd' is '{deviceId}'; an entry carries one device's events")));
            }
        }

        return new(new TelemetryBatch(parsed.Events), null);
    }
}

/// <summary>The outcome of <see cref="TelemetryEntryDecoder.Decode"/>: a batch, or why the entry is dead-lettered.</summary>
/// <param name="Batch">The device's events, when valid.</param>
/// <param name="DeadLetter">Why the entry cannot be delivered, when invalid.</param>
public sealed record TelemetryEntryDecodeResult(TelemetryBatch? Batch, DeadLetter? DeadLetter);
