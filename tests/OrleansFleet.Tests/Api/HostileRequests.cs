using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CsCheck;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>
/// Generated malformed and hostile requests on every endpoint, and the checks every fuzz run makes with them: never a
/// 5xx; every request that writes is built to be invalid and must get a 4xx; the probe device the writes aim at is
/// unchanged once a later accepted probe event is applied; the devices the bad events name never come to exist; the
/// host is healthy at the end. Shared by the in-process run (<see cref="HostileInputFuzzTests"/>) and the run against
/// the built host on a loopback port (<see cref="EndToEnd.HostileInputHostTests"/>).
/// </summary>
internal static class HostileRequests
{
    public const string Probe = "fuzz-probe";

    /// <summary>Every device id the generated invalid events name besides the probe: none may ever be created.</summary>
    private static readonly string[] Bystanders = ["fuzz-other", "fuzz-dup"];

    /// <summary>Receives valid events with timestamps far in the past (accepted: the API bounds only the future).</summary>
    private const string PastDevice = "fuzz-past";

    private static readonly string[] HostileIds =
        ["", "a/b", "a\\b", "a#b", "a?b", "a\u0000b", "a\nb", "a\tb", "a\rb", "\u007f", "a\u0085b", "a\u2028b", "\u202e", new('x', 129), "ü", "a b", "%2e%2e", "%00", "a%2Fb", "a\"b", "'", "\ud800", "a&b=c", ".", ".."];

    // Literals a JSON number may not be, or that are no finite double: every spelling of NaN and Infinity that some
    // JSON parser accepts (JSON5, Python, Json.NET, System.Text.Json's named literals as strings), and overflows.
    // Not null: an absent seq, clear threshold or hold time is valid, and null means absent there.
    private static readonly string[] HostileNumbers =
        ["NaN", "-NaN", "+NaN", "nan", "NAN", "Infinity", "-Infinity", "+Infinity", "infinity", "INFINITY", "inf", "-inf", "+inf", "Inf", "INF", "-INF",
         "\"NaN\"", "\"nan\"", "\"-NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"+Infinity\"", "\"inf\"", "\"-inf\"", "\"∞\"", "\"1e400\"",
         "1e400", "-1e999", "1e309", "-1e309", $"1{new string('0', 400)}", "0x1F", "01", ".5", "1.", "+1", "1_000", "1e", "--1", "true", "[]", "{}", "[1]", "\"12\""];

    // Whole numbers no seq can be: past long, negative, zero, fractional.
    private static readonly string[] HostileSeqs = ["9223372036854775808", "18446744073709551616", "-9223372036854775809", "-1", "0", "1.5", "1e3", "1E+2", $"9{new string('9', 400)}"];

    private static readonly string[] HostileTimestamps =
        ["\"9999-12-31T23:59:59Z\"", "\"+275760-09-13T00:00:00Z\"", "\"10000-01-01T00:00:00Z\"", "\"2100-01-01T00:00:00Z\"", "\"-000001-01-01T00:00:00Z\"", "\"2026-13-01T00:00:00Z\"",
         "\"2026-02-30T00:00:00Z\"", "\"\"", "\"yesterday\"", "12345", "1e400", "null", "\"0000-00-00\"", "true", "[]", "{}", $"\"{DateTimeOffset.UtcNow.AddDays(2):O}\"", $"\"{DateTimeOffset.UtcNow.AddHours(1):O}\""];

    private static readonly string[] FarPastTimestamps = ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "1601-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "1970-01-01T00:00:00Z"];

    // Values of the wrong JSON type for a field that wants a string (device id, status) or an object (metrics).
    private static readonly string[] NotAString = ["1", "1.5", "true", "false", "[]", "[\"fuzz-other\"]", "{}", "{\"id\":\"fuzz-other\"}"];
    private static readonly string[] NotAnObject = ["[]", "[1]", "\"t\"", "1", "true", "[{\"t\":1}]"];

    private static readonly string[] HostileQueryValues =
        ["", "-1", "0", "1001", "2147483648", "99999999999999999999", "1e3", " 5", "5 ", "+5", "0x10", "NaN", "Infinity", "-Infinity", "active", "all", "ALL", "critical", "7", "a/b", "%00", "%FF%FE",
         "\u0001", "\u0000", "\ud800", new('z', 5000), "2026-11-22T10:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "+275760-09-13T00:00:00Z", "2026-13-01", "1e400",
         Convert.ToBase64String(Encoding.UTF8.GetBytes("a/b/c")), Convert.ToBase64String(Encoding.UTF8.GetBytes("x/y")), Convert.ToBase64String(Encoding.UTF8.GetBytes("fuzz-probe/a1")), "====", "not-a-token", Convert.ToBase64String(new byte[300]),
         // Continuation tokens shaped like the ones the API issues, made of hostile keys.
         TelemetryHistoryKeys.EncodeToken(""), TelemetryHistoryKeys.EncodeToken(new string('9', 19)), TelemetryHistoryKeys.EncodeToken($"{new string('0', 19)}_{new string('0', 20)}"),
         TelemetryHistoryKeys.EncodeToken($"{new string('9', 19)}_{new string('9', 20)}"), TelemetryHistoryKeys.EncodeToken($"{new string('0', 19)}_x../../"), TelemetryHistoryKeys.EncodeToken(new string('1', 200)),
         TelemetryHistoryKeys.EncodeToken("-000000000000000001_00000000000000000001"), TelemetryHistoryKeys.EncodeToken("0000000000000000001_0000000000000000001\u0000"),
         Base64Url(Encoding.UTF8.GetBytes("/")), Base64Url(Encoding.UTF8.GetBytes("a/")), Base64Url(Encoding.UTF8.GetBytes("\u0000/\u0000")), Base64Url(Encoding.UTF8.GetBytes($"{new string('d', 129)}/a1")),
         Base64Url([0xFF, 0xFE, (byte)'/', 0xC3, 0x28]), Base64Url([0xED, 0xA0, 0x80]), "a+b/c==", "abc=", "ab=c", "a b", "%", "\u00e9"];

    // Query values sent as they are, not escaped: percent escapes of invalid UTF-8, NUL, an escaped '/', a broken escape.
    private static readonly string[] RawQueryValues = ["%FF%FE", "%00", "%C0%AF", "%ED%A0%80", "%E2%82", "%F4%90%80%80", "a%2Fb", "%", "%zz", "%2", "a%26limit%3D0"];

    private static readonly string[] ContentTypes = ["application/json", "application/json; charset=utf-8", "application/json; charset=utf-16", "text/plain", "application/problem+json", "application/x-www-form-urlencoded", ""];

    // Byte sequences that are not UTF-8: a bad continuation, bytes never used, an overlong '/', an encoded surrogate,
    // a code point past U+10FFFF, a lone continuation, and a sequence cut short.
    private static readonly byte[][] InvalidUtf8 = [[0xC3, 0x28], [0xFF, 0xFE], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE2, 0x82]];

    private static string Ts => DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A valid probe event far ahead in seq with a breach: applied, it would change the probe (pending, alarm).</summary>
    private static string ProbeEvent => $$$"""{"deviceId":"{{{Probe}}}","seq":1000000000,"timestamp":"{{{Ts}}}","metrics":{"temperature":99}}""";

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Pick(string[] values, int pick) => values[pick % values.Length];

    private static string Nested(int depth, string inner) => $"{string.Concat(Enumerable.Repeat("{\"a\":", depth))}{inner}{new string('}', depth)}";

    /// <summary>An event with one field made invalid, sometimes with a duplicate key and a far-past time beside it.</summary>
    private static readonly Gen<string> BadEvent = Gen.Select(Gen.Int[0, 11], Gen.Int[0, 1000], Gen.Bool, Gen.Bool).Select((field, pick, duplicate, farPast) =>
    {
        var id = Json(Bystanders[0]);
        var timestamp = farPast ? Json(Pick(FarPastTimestamps, pick)) : $"\"{Ts}\"";
        var metrics = "{\"t\":1}";
        var extra = "";
        switch (field)
        {
            case 0: id = Json(Pick(HostileIds, pick)); break;
            case 1: timestamp = Pick(HostileTimestamps, pick); break;
            case 2: metrics = $"{{\"t\":{Pick(HostileNumbers, pick)}}}"; break;
            case 3: metrics = $"{{{Json(Pick(HostileIds, pick))}:1}}"; break;
            case 4: extra = $",\"seq\":{Pick(pick % 2 == 0 ? HostileNumbers : HostileSeqs, pick / 2)}"; break;
            case 5: extra = $",\"status\":{(pick % 2 == 0 ? Json(Pick(HostileIds, pick / 2)) : Pick(NotAString, pick / 2))}"; break;
            case 6: id = Pick(NotAString, pick); break;
            case 7: metrics = Pick(NotAnObject, pick); break;
            // Duplicate keys alone: the API refuses a field or a metric given twice rather than keeping one of them.
            case 8: extra = pick % 2 == 0 ? ",\"seq\":5,\"seq\":6" : ",\"metrics\":{\"t\":2}"; break;
            case 9: metrics = "{\"t\":1,\"t\":2}"; break;
            // Nesting past the reader's depth limit inside a metric, balanced (the truncated kind comes from Mangle).
            case 10: metrics = $"{{\"t\":{Nested(8 + (pick % 200), "1")}}}"; break;
            default: extra = pick % 2 == 0 ? $",{Json(Pick(HostileIds, pick / 2))}:1" : ",\"extra\":[[[]]]"; break;
        }

        var dup = duplicate ? $",\"deviceId\":{Json(Bystanders[1])}" : "";
        return $"{{\"deviceId\":{id}{dup},\"timestamp\":{timestamp},\"metrics\":{metrics}{extra}}}";
    });

    /// <summary>Bodies that are no array of events: the probe event wrapped, beside values of other types, or trailed by more.</summary>
    private static readonly Gen<string> BadShape = Gen.Int[0, 9].Select(shape => shape switch
    {
        0 => $"{{\"events\":[{ProbeEvent}]}}",
        1 => $"[{ProbeEvent},null]",
        2 => $"[{ProbeEvent},1]",
        3 => $"[{ProbeEvent},[{ProbeEvent}]]",
        4 => $"[{ProbeEvent}]]",
        5 => $"[{ProbeEvent}],",
        6 => $"[{ProbeEvent}][{ProbeEvent}]",
        7 => $"[{ProbeEvent},]",
        8 => $"[{ProbeEvent}]/*c*/",
        _ => $"\"{ProbeEvent.Replace("\"", "\\\"", StringComparison.Ordinal)}\"",
    });

    /// <summary>A rule with one field made invalid.</summary>
    private static readonly Gen<string> BadRule = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 1000]).Select((field, pick) => field switch
    {
        0 => $"{{\"id\":{Json(Pick(HostileIds, pick))},\"metric\":\"temperature\",\"threshold\":1}}",
        1 => $"{{\"id\":\"fz\",\"metric\":{Json(Pick(HostileIds, pick))},\"threshold\":1}}",
        2 => $"{{\"id\":\"fz\",\"metric\":\"temperature\",\"threshold\":{Pick(HostileNumbers, pick)}}}",
        3 => $"{{\"id\":\"fz\",\"metric\":\"temperature\",\"threshold\":1,\"severity\":{Json(Pick(HostileIds, pick))}}}",
        4 => $"{{\"id\":\"fz\",\"metric\":\"temperature\",\"threshold\":1,\"holdTime\":{Pick(HostileNumbers, pick)}}}",
        5 => $"{{\"id\":\"fz\",\"metric\":\"temperature\",\"threshold\":1,\"clearThreshold\":{Pick(HostileNumbers, pick)}}}",
        6 => $"{{\"id\":\"fz\",\"metric\":\"temperature\",\"threshold\":1,\"comparison\":{(pick % 2 == 0 ? Json(Pick(HostileIds, pick / 2)) : Pick(NotAString, pick / 2))}}}",
        7 => $"{{\"id\":\"fz\",\"metric\":{Pick(NotAString, pick)},\"threshold\":1}}",
        8 => $"{{\"id\":\"fz\",\"metric\":\"temperature\"}}",
        _ => $"{{\"id\":\"fz\",\"metric\":\"temperature\",\"threshold\":1,\"holdTime\":{Json(Pick(["-00:00:01", "1.00:00:01", "99999999.00:00:00", "NaN", "P1D", "1e400"], pick))}}}",
    });

    /// <summary>Rules bodies that are no array of rule objects, or whose rules share an id.</summary>
    private static readonly string[] BadRuleShapes =
        ["{}", "null", "1", "\"x\"", "[null]", "[1]", "[[]]", "[{\"id\":\"fz\",\"metric\":\"t\",\"threshold\":1},{\"id\":\"fz\",\"metric\":\"u\",\"threshold\":2}]"];

    /// <summary>Whether <paramref name="bytes"/> are one complete JSON document.</summary>
    private static bool IsJson(byte[] bytes)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(bytes);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>Turns a body into bytes, sometimes truncated, deeply nested, or with invalid UTF-8 inside one of its strings.</summary>
    private static Gen<byte[]> Mangle(Gen<string> body) => Gen.Select(body, Gen.Int[0, 5], Gen.Int[0, 100_000]).Select((text, how, at) =>
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        switch (how)
        {
            case 1:
                // A cut right after a complete value ("[{...}]" out of "[{...}]]") would be a valid body: cut one more.
                var cut = bytes[..(at % bytes.Length)];
                return IsJson(cut) ? cut[..^1] : cut;
            case 2:
                return Encoding.UTF8.GetBytes($"{new string('[', 20 + (at % 2000))}{text}");
            case 3:
                return Encoding.UTF8.GetBytes($"{new string('[', 9 + (at % 500))}{text}{new string(']', 9 + (at % 500))}");
            case 4:
                var quotes = bytes.Select((b, i) => (b, i)).Where(x => x.b == (byte)'"').Select(x => x.i).ToArray();
                var after = quotes.Length == 0 ? 0 : quotes[at % quotes.Length] + 1;
                return [.. bytes[..after], .. InvalidUtf8[at % InvalidUtf8.Length], .. bytes[after..]];
            default:
                return bytes;
        }
    });

    private static readonly Gen<Request> Ingest = Gen.Select(
            Mangle(Gen.Frequency((5, BadEvent.Array[1, 4].Select(events => $"[{ProbeEvent},{string.Join(",", events)}]")), (1, BadShape))),
            Gen.Int[0, 20])
        .Select((body, type) => new Request(HttpMethod.Post, "/api/telemetry", body, type < ContentTypes.Length ? ContentTypes[type] : "application/json", Writes: true));

    /// <summary>Valid events far in the past, for a device of their own: they may be accepted, and must not break a read.</summary>
    private static readonly Gen<Request> FarPast = Gen.Select(Gen.Int[0, FarPastTimestamps.Length - 1], Gen.Int[1, 1000])
        .Select((when, seq) => new Request(HttpMethod.Post, "/api/telemetry",
            Encoding.UTF8.GetBytes($$$"""[{"deviceId":"{{{PastDevice}}}","seq":{{{seq}}},"timestamp":"{{{FarPastTimestamps[when]}}}","metrics":{"t":{{{seq}}}}}]"""), "application/json", Writes: false));

    private static readonly Gen<Request> PutRules = Gen.Select(
            Mangle(Gen.Frequency((6, BadRule.Array[1, 3].Select(rules => $"[{string.Join(",", rules)}]")), (1, Gen.Int[0, BadRuleShapes.Length - 1].Select(i => BadRuleShapes[i])))),
            Gen.Int[0, 1000], Gen.Bool, Gen.Int[0, 20])
        .Select((body, pick, hostileRoute, type) => new Request(HttpMethod.Put,
            $"/api/devices/{(hostileRoute ? Route(Pick(HostileIds, pick), pick) : Probe)}/rules", body, type < ContentTypes.Length ? ContentTypes[type] : "application/json", Writes: true));

    private static readonly Gen<Request> Acknowledge = Gen.Select(Gen.Int[0, 1000], Gen.Bool, Gen.Bool)
        .Select((pick, hostileDevice, withBody) => new Request(HttpMethod.Post,
            hostileDevice ? $"/api/devices/{Route(Pick(HostileIds, pick), pick)}/alarms/a1/ack" : $"/api/devices/{Probe}/alarms/{Route(Pick(HostileIds, pick), pick)}/ack",
            withBody ? Encoding.UTF8.GetBytes("{\"by\":\"x\"") : null, withBody ? "application/json" : null, Writes: true));

    private static readonly string[] ReadPaths =
        [$"/api/devices/{Probe}", $"/api/devices/{Probe}/alarms", $"/api/devices/{Probe}/rules", $"/api/devices/{Probe}/telemetry", $"/api/devices/{PastDevice}/telemetry",
         "/api/alarms", "/api/fleet/summary", "/api/fleet/hot"];

    private static readonly string[] QueryNames = ["state", "severity", "limit", "from", "to", "continuationToken", "top", "x", "limit", "continuationToken"];

    private static readonly Gen<Request> Read = Gen.Select(
            Gen.Int[0, ReadPaths.Length - 1], Gen.Select(Gen.Int[0, QueryNames.Length - 1], Gen.Int[0, 1000], Gen.Int[0, 5]).Array[0, 4], Gen.Int[0, 1000], Gen.Bool)
        .Select((path, query, pick, hostileDevice) =>
        {
            var target = hostileDevice && path < 5 ? ReadPaths[path].Replace(path == 4 ? PastDevice : Probe, Route(Pick(HostileIds, pick), pick), StringComparison.Ordinal) : ReadPaths[path];
            var parameters = string.Join("&", query.Select(q =>
                $"{QueryNames[q.Item1]}={(q.Item3 == 0 ? Pick(RawQueryValues, q.Item2) : Uri.EscapeDataString(Pick(HostileQueryValues, q.Item2).Replace("\ud800", "\ufffd", StringComparison.Ordinal)))}"));
            return new Request(HttpMethod.Get, parameters.Length == 0 ? target : $"{target}?{parameters}", null, null, Writes: false);
        });

    /// <summary>Any of the generated requests, writes more often than reads.</summary>
    public static Gen<Request> Any { get; } = Gen.Frequency((4, Ingest), (2, PutRules), (1, Acknowledge), (3, Read), (1, FarPast));

    /// <summary>An id in a path: escaped, or (every other time) raw, so '/', '#', '?' and control characters reach the router as sent.</summary>
    /// <remarks>
    /// A NUL in the path is the exception: Kestrel answers it with 400 before the app sees it, while the in-memory
    /// test server cannot carry it at all (it throws in the client), so here it becomes another control character.
    /// A lone surrogate cannot be escaped (no UTF-8 for it), so it is replaced as any encoder would.
    /// </remarks>
    private static string Route(string id, int pick)
    {
        id = id.Replace('\0', '\u0001').Replace("%00", "%01", StringComparison.Ordinal);
        return pick % 2 == 0 ? Uri.EscapeDataString(id.Replace("\ud800", "\ufffd", StringComparison.Ordinal)) : id;
    }

    /// <summary>Gives the probe its first event and waits until it is applied; returns what the run must leave as it is.</summary>
    public static async Task<ProbeState> SeedAsync(HttpClient client)
    {
        var seed = await client.PostAsync("/api/telemetry", new StringContent(
            $$$"""[{"deviceId":"{{{Probe}}}","seq":1,"timestamp":"{{{Ts}}}","metrics":{"temperature":20},"status":"running"}]""", Encoding.UTF8, "application/json"));
        Assert.True(seed.IsSuccessStatusCode, $"seeding the probe: {(int)seed.StatusCode}");
        await Eventually.DeviceAsync(client, Probe, d => d.LastSeq >= 1);
        foreach (var bystander in Bystanders)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/devices/{bystander}")).StatusCode);
        }

        return await ProbeStateAsync(client);
    }

    /// <summary>Sends one generated request: never a 5xx, and a 4xx for every one that writes.</summary>
    public static async Task SendAsync(HttpClient client, Request request)
    {
        using var message = new HttpRequestMessage(request.Method, request.Path);
        if (request.Body is { } body)
        {
            // Raw bytes, not a string: invalid UTF-8 must reach the server as it was generated.
            message.Content = new ByteArrayContent(body);
            if (request.ContentType is { Length: > 0 } type)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        using var response = await client.SendAsync(message);
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{request}: {status} {await response.Content.ReadAsStringAsync()}");
        if (request.Writes)
        {
            Assert.True(status is >= 400 and < 500, $"{request} was accepted: {status} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Sends one more probe event and waits until it is applied: anything wrongly accepted before it would be applied
    /// first. Then the probe must differ from <paramref name="before"/> by that one event only, no bystander device may
    /// exist, and the host must be ready.
    /// </summary>
    public static async Task AssertUnchangedAndHealthyAsync(HttpClient client, ProbeState before)
    {
        var marker = before.Device.LastSeq + 1;
        var sent = await client.PostAsync("/api/telemetry", new StringContent(
            $$$"""[{"deviceId":"{{{Probe}}}","seq":{{{marker}}},"timestamp":"{{{Ts}}}","metrics":{"temperature":20}}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        await Eventually.DeviceAsync(client, Probe, d => d.LastSeq >= marker);
        var after = await ProbeStateAsync(client);
        Assert.Equal(
            (before.Device.Status, marker, 0, before.Device.Counters with { Applied = before.Device.Counters.Applied + 1 }, before.Alarms, before.Rules),
            (after.Device.Status, after.Device.LastSeq, after.Device.Pending, after.Device.Counters, after.Alarms, after.Rules));
        foreach (var bystander in Bystanders)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/devices/{bystander}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    private static async Task<ProbeState> ProbeStateAsync(HttpClient client) =>
        new((await client.GetFromJsonAsync<DeviceView>($"/api/devices/{Probe}", ApiFactory.Json))!,
            await client.GetStringAsync($"/api/devices/{Probe}/alarms?state=all"),
            await client.GetStringAsync($"/api/devices/{Probe}/rules"));

    /// <summary>What the probe looks like through the API.</summary>
    public sealed record ProbeState(DeviceView Device, string Alarms, string Rules);

    /// <summary>One generated request; <paramref name="Writes"/> when it is built to be refused.</summary>
    public sealed record Request(HttpMethod Method, string Path, byte[]? Body, string? ContentType, bool Writes)
    {
        public override string ToString() => $"{Method} {Path} [{ContentType}] {(Body is null ? "" : Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 400)]))}";
    }
}
