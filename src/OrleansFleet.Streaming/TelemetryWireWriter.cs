using System.Buffers;
using System.Text.Json;

namespace OrleansFleet.Streaming;

/// <summary>
/// Writes events in the telemetry wire format that <see cref="TelemetryJson.Parse"/> reads, so entries written by the
/// API (through Orleans) and entries written by gateways in other languages look the same on the transport.
/// </summary>
public static class TelemetryWireWriter
{
    /// <summary>Writes <paramref name="events"/> as a JSON array of event objects.</summary>
    public static byte[] WriteArray(IReadOnlyList<TelemetryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var buffer = new ArrayBufferWriter<byte>(128 * Math.Max(1, events.Count));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var e in events)
            {
                WriteEvent(writer, e);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEvent(Utf8JsonWriter writer, TelemetryEvent e)
    {
        writer.WriteStartObject();
        writer.WriteString("deviceId"u8, e.DeviceId);
        if (e.Seq is { } seq)
        {
            writer.WriteNumber("seq"u8, seq);
        }

        // Round-trip format in UTC: the reader parses it back to the same instant.
        writer.WriteString("timestamp"u8, e.Timestamp.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteStartObject("metrics"u8);
        foreach (var (name, value) in e.Metrics)
        {
            writer.WriteNumber(name, value);
        }

        writer.WriteEndObject();
        if (e.Status is { } status and not DeviceStatus.Unknown)
        {
            writer.WriteString("status"u8, status switch
            {
                DeviceStatus.Running => "running",
                DeviceStatus.Shutdown => "shutdown",
                DeviceStatus.Maintenance => "maintenance",
                DeviceStatus.Fault => "fault",
                _ => throw new ArgumentOutOfRangeException(nameof(e), status, "unknown device status"),
            });
        }

        writer.WriteEndObject();
    }
}
