using System.Text;
using System.Text.Json;

using Confluent.Kafka;

namespace OrleansFleet.Streaming.Kafka;

/// <summary>
/// Turns a Kafka record into one device's <see cref="TelemetryBatch"/>, or says why it is dead-lettered. The device
/// is named by, in this order: the record key (what our producer and any keyed producer set), the configured header
/// (IoT Hub's routing sets <c>iothub-connection-device-id</c>), or the <c>deviceId</c> of the body's first event. The
/// body is the API's wire JSON: one event object or an array of one device's events.
/// </summary>
public static class KafkaRecordDecoder
{
    private static readonly EntryFieldNames Names = new(
        "the device id (record key, device-id header, or the body's deviceId)", "the record value (telemetry JSON)", "the device id", "the record value");

    /// <summary>Decodes a record.</summary>
    public static TelemetryEntryDecodeResult Decode(Message<byte[]?, byte[]?> message, string deviceIdHeader, TelemetryLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var deviceId = DeviceIdOf(message, deviceIdHeader);
        return TelemetryEntryDecoder.DecodeAnyPartition(deviceId, message.Value, limits, now, Names);
    }

    /// <summary>The record's device id by key, then header, then body; null when none names it.</summary>
    public static string? DeviceIdOf(Message<byte[]?, byte[]?> message, string deviceIdHeader)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Key is { Length: > 0 } key)
        {
            return Utf8(key);
        }

        if (!string.IsNullOrEmpty(deviceIdHeader) && message.Headers is { } headers && headers.TryGetLastBytes(deviceIdHeader, out var header) && header is { Length: > 0 })
        {
            return Utf8(header);
        }

        return message.Value is { Length: > 0 } value ? BodyDeviceId(value) : null;
    }

    private static string? Utf8(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: fails the device-id rule with a readable reason instead of a mangled id.
            return Convert.ToHexString(bytes) + " (not UTF-8)";
        }
    }

    private static string? BodyDeviceId(byte[] value)
    {
        try
        {
            using var document = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = 8 });
            var first = document.RootElement.ValueKind switch
            {
                JsonValueKind.Object => document.RootElement,
                JsonValueKind.Array when document.RootElement.GetArrayLength() > 0 => document.RootElement[0],
                _ => default,
            };
            return first.ValueKind == JsonValueKind.Object && first.TryGetProperty("deviceId", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            // The payload check reports the JSON error; here the record simply names no device.
            return null;
        }
    }
}
