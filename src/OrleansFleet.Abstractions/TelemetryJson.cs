using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrleansFleet;

/// <summary>
/// Reads the telemetry wire format, the one JSON shape shared by <c>POST /api/telemetry</c> and every stream
/// record a producer writes directly:
/// <code>[{"deviceId":"chiller-7","seq":12,"timestamp":"2026-11-22T10:00:00Z","metrics":{"temperature":71.5},"status":"running"}]</code>
/// It is a single forward pass over <see cref="Utf8JsonReader"/>: no intermediate objects, and every rule it breaks
/// is reported with the JSON path of the offending field, so a caller can fix the exact value.
/// </summary>
public static class TelemetryJson
{
    private const int MaxErrors = 20;
    private const int MaxMetricNameLength = 128;
    private const int MaxKnownMetricNames = 1_024;

    // Valid metric names seen so far, found by their characters (see ReadMetricName).
    private static readonly ConcurrentDictionary<string, string> KnownMetricNames = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownMetricNameLookup =
        KnownMetricNames.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Parses and validates <paramref name="utf8Json"/>: an array of events, or (when <paramref name="allowSingleObject"/>)
    /// one event object. Either every event is valid and returned, or none is (no half-applied batch).
    /// </summary>
    /// <param name="utf8Json">The body.</param>
    /// <param name="limits">Bounds to enforce.</param>
    /// <param name="now">The server's clock, for the future-timestamp rule.</param>
    /// <param name="allowSingleObject">Whether a bare event object (not in an array) is accepted.</param>
    public static TelemetryParseResult Parse(ReadOnlySpan<byte> utf8Json, TelemetryLimits limits, DateTimeOffset now, bool allowSingleObject = false)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var errors = new ErrorList();
        var events = new List<TelemetryEvent>();
        if (utf8Json.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            errors.Add("$", "the body is empty; send a JSON array of events");
            return new(events, errors.ToDictionary());
        }

        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 8 });
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject && allowSingleObject)
            {
                ReadEvent(ref reader, JsonPath.Root, limits, now, events, errors);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (index >= limits.MaxEventsPerRequest)
                    {
                        errors.Add("$", $"must hold at most {limits.MaxEventsPerRequest} events");
                        return new([], errors.ToDictionary());
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        errors.Add(new JsonPath(index), "must be an event object");
                        reader.Skip();
                    }
                    else
                    {
                        ReadEvent(ref reader, new JsonPath(index), limits, now, events, errors);
                    }

                    if (errors.IsFull)
                    {
                        break;
                    }

                    index++;
                }

                if (index == 0 && errors.Count == 0)
                {
                    errors.Add("$", "must hold at least one event");
                }
            }
            else
            {
                errors.Add("$", allowSingleObject ? "must be an event object or an array of events" : "must be a JSON array of events");
            }

            if (errors.Count == 0 && reader.Read())
            {
                errors.Add("$", "has content after the end of the JSON value");
            }
        }
        catch (JsonException ex)
        {
            errors.Add(JsonPath.Parse(ex.Path), $"is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException)
        {
            // The reader checks structure, not encoding: reading a name or string with invalid UTF-8 throws here.
            errors.Add("$", "is not valid UTF-8");
        }

        return errors.Count == 0 ? new(events, null) : new([], errors.ToDictionary());
    }

    private static void ReadEvent(ref Utf8JsonReader reader, JsonPath path, TelemetryLimits limits, DateTimeOffset now, List<TelemetryEvent> events, ErrorList errors)
    {
        var errorsBefore = errors.Count;
        string? deviceId = null;
        long? seq = null;
        DateTimeOffset? timestamp = null;
        Dictionary<string, double>? metrics = null;
        DeviceStatus? status = null;
        var seen = Field.None;

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            // Known names are matched on the raw UTF-8; a string is made only for an unknown one (an error).
            var field = FieldOf(ref reader);
            var fieldPath = path.Field(field == Field.Unknown ? reader.GetString()! : NameOf(field));
            reader.Read();
            if (field == Field.Unknown)
            {
                errors.Add(fieldPath, "is not a known field (deviceId, seq, timestamp, metrics, status)");
                reader.Skip();
                continue;
            }

            if ((seen & field) != 0)
            {
                errors.Add(fieldPath, "appears more than once");
                reader.Skip();
                continue;
            }

            seen |= field;
            switch (field)
            {
                case Field.DeviceId:
                    deviceId = ReadId(ref reader, fieldPath, errors);
                    break;
                case Field.Seq:
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        break;
                    }

                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var s) || s < 1)
                    {
                        errors.Add(fieldPath, "must be a whole number from 1 to 9223372036854775807, or absent");
                        reader.Skip();
                    }
                    else
                    {
                        seq = s;
                    }

                    break;
                case Field.Timestamp:
                    timestamp = ReadTimestamp(ref reader, fieldPath, limits, now, errors);
                    break;
                case Field.Metrics:
                    metrics = ReadMetrics(ref reader, fieldPath, limits, errors);
                    break;
                case Field.Status:
                    status = ReadStatus(ref reader, fieldPath, errors);
                    break;
            }
        }

        if ((seen & Field.DeviceId) == 0)
        {
            errors.Add(path.Field("deviceId"), "is required");
        }

        if ((seen & Field.Timestamp) == 0)
        {
            errors.Add(path.Field("timestamp"), "is required");
        }

        if ((seen & (Field.Metrics | Field.Status)) == 0)
        {
            errors.Add(path.Field("metrics"), "is required unless the event carries a status (an empty object is a heartbeat)");
        }

        if (errors.Count == errorsBefore)
        {
            events.Add(new TelemetryEvent(deviceId!, seq, timestamp!.Value, (IReadOnlyDictionary<string, double>?)metrics ?? EmptyMetrics, status));
        }
    }

    /// <summary>The metrics of an event that carries none; shared, never mutated.</summary>
    public static IReadOnlyDictionary<string, double> EmptyMetrics { get; } = new Dictionary<string, double>();

    private static string? ReadId(ref Utf8JsonReader reader, JsonPath path, ErrorList errors)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            errors.Add(path, $"must be a string that {DeviceId.Rule}");
            reader.Skip();
            return null;
        }

        var value = reader.GetString();
        if (!DeviceId.IsValid(value))
        {
            errors.Add(path, DeviceId.Rule);
            return null;
        }

        return value;
    }

    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader, JsonPath path, TelemetryLimits limits, DateTimeOffset now, ErrorList errors)
    {
        const string Rule = "must be an ISO 8601 date and time such as 2026-11-22T10:00:00Z (no offset means UTC)";
        if (reader.TokenType != JsonTokenType.String)
        {
            errors.Add(path, Rule);
            reader.Skip();
            return null;
        }

        // The common case, an ISO 8601 instant with its offset (what every writer of this format sends), is read
        // straight from the UTF-8 bytes; anything else (no offset, other layouts) takes the general parser.
        if (!(!reader.ValueIsEscaped && HasExplicitOffset(reader.ValueSpan) && reader.TryGetDateTimeOffset(out var value))
            && !DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            errors.Add(path, Rule);
            return null;
        }

        if (value > now + limits.MaxFutureSkew)
        {
            errors.Add(path, $"is more than {limits.MaxFutureSkew} ahead of the server's clock ({now:O}); check the device's clock");
            return null;
        }

        return value.ToUniversalTime();
    }

    // A date and time ending in Z or ±hh:mm. Without an offset the general parser must read it: this format takes
    // no offset to mean UTC, where Utf8JsonReader would take the machine's local time.
    private static bool HasExplicitOffset(ReadOnlySpan<byte> value)
    {
        var t = value.IndexOf((byte)'T');
        return t > 0 && (value[^1] == (byte)'Z'
            || (value.Length - 6 > t && value[^6] is (byte)'+' or (byte)'-' && value[^3] == (byte)':'));
    }

    /// <summary>
    /// A metric's name: a fleet reports a handful of names over and over, so each valid one is checked and made a
    /// string once and then found again by its bytes. Bounded, so input full of new names cannot grow it.
    /// </summary>
    private static string ReadMetricName(ref Utf8JsonReader reader, out bool valid)
    {
        Span<char> chars = stackalloc char[MaxMetricNameLength];
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= MaxMetricNameLength
            && Ascii.ToUtf16(reader.ValueSpan, chars, out var length) == OperationStatus.Done
            && KnownMetricNameLookup.TryGetValue(chars[..length], out var known))
        {
            valid = true;
            return known;
        }

        var name = reader.GetString()!;
        valid = DeviceId.IsValid(name);
        if (valid && KnownMetricNames.Count < MaxKnownMetricNames)
        {
            KnownMetricNames.TryAdd(name, name);
        }

        return name;
    }

    private static Dictionary<string, double>? ReadMetrics(ref Utf8JsonReader reader, JsonPath path, TelemetryLimits limits, ErrorList errors)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(path, "must be an object of metric name to number, such as {\"temperature\": 71.5}");
            reader.Skip();
            return null;
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var ok = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = ReadMetricName(ref reader, out var validName);
            var metricPath = path.Field(name);
            reader.Read();
            if (!validName)
            {
                errors.Add(metricPath, $"is not a valid metric name: a name {DeviceId.Rule}");
                reader.Skip();
                ok = false;
            }
            else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                errors.Add(metricPath, "must be a finite number");
                reader.Skip();
                ok = false;
            }
            else if (!metrics.TryAdd(name, value))
            {
                errors.Add(metricPath, "appears more than once");
                ok = false;
            }
            else if (metrics.Count > limits.MaxMetricsPerEvent)
            {
                errors.Add(path, $"must hold at most {limits.MaxMetricsPerEvent} metrics");
                ok = false;
            }
        }

        return ok ? metrics : null;
    }

    private static DeviceStatus? ReadStatus(ref Utf8JsonReader reader, JsonPath path, ErrorList errors)
    {
        // null is not "no status": an event must carry metrics, a status or both, and null is neither. Leave the
        // field out instead, as the OpenAPI schema says (an enum, not nullable).
        const string Rule = "must be one of \"running\", \"shutdown\", \"maintenance\", \"fault\"; leave the field out for no status (null is not allowed)";
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("running"u8)) return DeviceStatus.Running;
            if (reader.ValueTextEquals("shutdown"u8)) return DeviceStatus.Shutdown;
            if (reader.ValueTextEquals("maintenance"u8)) return DeviceStatus.Maintenance;
            if (reader.ValueTextEquals("fault"u8)) return DeviceStatus.Fault;
        }

        errors.Add(path, Rule);
        reader.Skip();
        return null;
    }

    private static Field FieldOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("deviceId"u8) ? Field.DeviceId
        : reader.ValueTextEquals("seq"u8) ? Field.Seq
        : reader.ValueTextEquals("timestamp"u8) ? Field.Timestamp
        : reader.ValueTextEquals("metrics"u8) ? Field.Metrics
        : reader.ValueTextEquals("status"u8) ? Field.Status
        : Field.Unknown;

    private static string NameOf(Field field) => field switch
    {
        Field.DeviceId => "deviceId",
        Field.Seq => "seq",
        Field.Timestamp => "timestamp",
        Field.Metrics => "metrics",
        _ => "status",
    };

    /// <summary>
    /// Where in the body a value is. The string form (<c>$[3].metrics.temperature</c>) is built only when an error is
    /// reported, so valid events, which are nearly all of them, cost no path strings.
    /// </summary>
    private readonly record struct JsonPath(int Index, string? Name = null, string? Metric = null, string? Raw = null)
    {
        public static JsonPath Root => new(-1);

        public static JsonPath Parse(string? path) => new(-1, Raw: path is { Length: > 0 } ? path : "$");

        public JsonPath Field(string name) => Name is null ? this with { Name = name } : this with { Metric = name };

        public override string ToString()
        {
            if (Raw is not null)
            {
                return Raw;
            }

            var path = Index < 0 ? "$" : $"$[{Index}]";
            path = Name is null ? path : $"{path}.{Name}";
            return Metric is null ? path : $"{path}.{Metric}";
        }
    }

    [Flags]
    private enum Field
    {
        None = 0,
        DeviceId = 1,
        Seq = 2,
        Timestamp = 4,
        Metrics = 8,
        Status = 16,
        Unknown = 32,
    }

    /// <summary>
    /// Writes <paramref name="events"/> as a JSON array in the shape <see cref="Parse"/> reads: the one writer of the wire
    /// format, used for stream entries, the simulator's requests and anything else that sends events.
    /// </summary>
    public static byte[] WriteArray(IReadOnlyList<TelemetryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var buffer = new ArrayBufferWriter<byte>(128 * Math.Max(1, events.Count));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteArray(writer, events);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <paramref name="events"/> as a JSON array into <paramref name="writer"/>.</summary>
    public static void WriteArray(Utf8JsonWriter writer, IEnumerable<TelemetryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(events);
        writer.WriteStartArray();
        foreach (var e in events)
        {
            WriteEvent(writer, e);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes one event object.</summary>
    public static void WriteEvent(Utf8JsonWriter writer, TelemetryEvent telemetry)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(telemetry);
        writer.WriteStartObject();
        writer.WriteString("deviceId"u8, telemetry.DeviceId);
        if (telemetry.Seq is { } seq)
        {
            writer.WriteNumber("seq"u8, seq);
        }

        // ISO 8601 with the UTC offset, formatted without a string: the reader parses it back to the same instant.
        writer.WriteString("timestamp"u8, telemetry.Timestamp.ToUniversalTime());
        writer.WriteStartObject("metrics"u8);
        foreach (var (name, value) in telemetry.Metrics)
        {
            writer.WriteNumber(name, value);
        }

        writer.WriteEndObject();
        if (telemetry.Status is { } status and not DeviceStatus.Unknown)
        {
            writer.WriteString("status"u8, status switch
            {
                DeviceStatus.Running => "running",
                DeviceStatus.Shutdown => "shutdown",
                DeviceStatus.Maintenance => "maintenance",
                DeviceStatus.Fault => "fault",
                _ => throw new ArgumentOutOfRangeException(nameof(telemetry), status, "not a status a device reports"),
            });
        }

        writer.WriteEndObject();
    }

    private sealed class ErrorList
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public int Count { get; private set; }

        public bool IsFull => Count >= MaxErrors;

        public void Add(string path, string message) => Add(JsonPath.Parse(path), message);

        public void Add(JsonPath jsonPath, string message)
        {
            if (IsFull)
            {
                return;
            }

            var path = jsonPath.ToString();
            if (!_errors.TryGetValue(path, out var list))
            {
                _errors[path] = list = [];
            }

            list.Add(message);
            Count++;
        }

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }
}

/// <summary>The outcome of <see cref="TelemetryJson.Parse"/>: the events, or the errors by JSON path (never both).</summary>
/// <param name="Events">The parsed events, empty when there are errors.</param>
/// <param name="Errors">JSON path → what is wrong there; <c>null</c> when the input is valid.</param>
public sealed record TelemetryParseResult(IReadOnlyList<TelemetryEvent> Events, IReadOnlyDictionary<string, string[]>? Errors)
{
    /// <summary>Whether every event was valid.</summary>
    public bool IsValid => Errors is null;
}
