using System.Buffers;
using System.Text.Json;

namespace OrleansFleet.Simulator;

/// <summary>
/// Writes events in the telemetry wire format (<see cref="TelemetryJson"/> reads it) into a reused buffer, so a sender
/// allocates nothing per request but the HTTP call itself.
/// </summary>
public sealed class TelemetryWireWriter : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256 * 1024);
    private readonly Utf8JsonWriter _json;

    /// <summary>Creates a writer with its own buffer.</summary>
    public TelemetryWireWriter() => _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });

    /// <summary>Serializes <paramref name="events"/> as one JSON array; the result is valid until the next call.</summary>
    public ReadOnlyMemory<byte> Write(ReadOnlySpan<OutgoingEvent> events)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartArray();
        foreach (var item in events)
        {
            var e = item.Event;
            _json.WriteStartObject();
            _json.WriteString("deviceId"u8, e.DeviceId);
            if (e.Seq is { } seq)
            {
                _json.WriteNumber("seq"u8, seq);
            }

            _json.WriteString("timestamp"u8, e.Timestamp);
            _json.WriteStartObject("metrics"u8);
            foreach (var (name, value) in e.Metrics)
            {
                _json.WriteNumber(name, value);
            }

            _json.WriteEndObject();
            if (e.Status is { } status)
            {
                _json.WriteString("status"u8, StatusName(status));
            }

            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.Flush();
        return _buffer.WrittenMemory;
    }

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();

    private static string StatusName(DeviceStatus status) => status switch
    {
        DeviceStatus.Running => "running",
        DeviceStatus.Shutdown => "shutdown",
        DeviceStatus.Maintenance => "maintenance",
        DeviceStatus.Fault => "fault",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a status a device reports"),
    };
}
