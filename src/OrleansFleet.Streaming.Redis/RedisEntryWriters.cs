using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;

namespace OrleansFleet.Streaming.Redis;

/// <summary>
/// Reusable UTF-8 buffers for the payload of the entries an appender writes, so an append serializes its events
/// straight into a warm buffer (<see cref="TelemetryJson.WriteArray(Utf8JsonWriter, IEnumerable{TelemetryEvent})"/>,
/// the one writer of the wire format) instead of growing a fresh one and copying it out. Redis reads the payload
/// from the buffer when it sends the command, so a buffer goes back to the pool only once Redis has confirmed the
/// append; a failed or timed-out append drops its buffer instead, because the command may still be on its way.
/// </summary>
internal sealed class RedisEntryWriters
{
    // Enough for every partition of a few concurrent requests; more are created on demand and not kept.
    private const int MaxPooled = 64;

    // A buffer that grew past this (a request far above the usual size) is not kept.
    private const int MaxPooledCapacity = 1 << 20;

    private readonly ConcurrentQueue<Writer> _pool = new();

    /// <summary>Serializes <paramref name="events"/> as one JSON array into a pooled buffer.</summary>
    public Writer Write(IReadOnlyList<TelemetryEvent> events)
    {
        var writer = _pool.TryDequeue(out var pooled) ? pooled : new Writer();
        writer.Write(events);
        return writer;
    }

    /// <summary>Gives back a writer whose payload Redis has confirmed.</summary>
    public void Return(Writer writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (writer.Capacity <= MaxPooledCapacity && _pool.Count < MaxPooled)
        {
            _pool.Enqueue(writer);
        }
    }

    /// <summary>One reusable buffer.</summary>
    internal sealed class Writer
    {
        private static readonly JsonWriterOptions Options = new() { SkipValidation = true };
        private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

        /// <summary>The payload written last; valid until the writer is returned.</summary>
        public ReadOnlyMemory<byte> Payload => _buffer.WrittenMemory;

        public int Capacity => _buffer.Capacity;

        public void Write(IReadOnlyList<TelemetryEvent> events)
        {
            _buffer.ResetWrittenCount();
            using var json = new Utf8JsonWriter(_buffer, Options);
            TelemetryJson.WriteArray(json, events);
        }
    }
}
