using System.Buffers;
using System.Text.Json;

namespace OrleansFleet.Simulator;

/// <summary>
/// Writes events in the telemetry wire format (<see cref="TelemetryJson"/> reads and writes it) into a reused buffer, so a sender
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
            TelemetryJson.WriteEvent(_json, item.Event);
        }

        _json.WriteEndArray();
        _json.Flush();
        return _buffer.WrittenMemory;
    }

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();
}
