using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>
/// Every kind of bad request gets its 4xx and a problem+json body that names the field, and the device the request
/// would have touched is exactly as it was: nothing half-applied.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BadRequestTests(ApiFactory factory) : IAsyncLifetime
{
    private const string Probe = "bad-input-probe";
    private readonly HttpClient _client = factory.CreateValidatedClient();

    private static string Ts(int secondsFromNow = -1) => DateTimeOffset.UtcNow.AddSeconds(secondsFromNow).ToString("O");

    // A valid event for the probe that would raise an alarm if it were (wrongly) applied next to a bad one.
    private static string ProbeEvent => $$$"""{"deviceId":"{{{Probe}}}","seq":1000000,"timestamp":"{{{Ts()}}}","metrics":{"temperature":99}}""";

    public static TheoryData<string, string, string, string?, Func<string>, HttpStatusCode, string?> Cases() => new()
    {
        { "malformed JSON", "POST", "/api/telemetry", "application/json", () => $"[{ProbeEvent}, {{\"deviceId\":", HttpStatusCode.BadRequest, "$" },
        { "wrong content type", "POST", "/api/telemetry", "text/plain", () => $"[{ProbeEvent}]", HttpStatusCode.UnsupportedMediaType, null },
        { "no content type", "POST", "/api/telemetry", null, () => $"[{ProbeEvent}]", HttpStatusCode.UnsupportedMediaType, null },
        { "body over 4 MiB", "POST", "/api/telemetry", "application/json", () => $"[{ProbeEvent},{new string(' ', 4 * 1024 * 1024)}]", HttpStatusCode.RequestEntityTooLarge, null },
        { "5,001 events", "POST", "/api/telemetry", "application/json", () => $"[{string.Join(",", Enumerable.Repeat(ProbeEvent, 5_001))}]", HttpStatusCode.BadRequest, "$" },
        { "unknown field", "POST", "/api/telemetry", "application/json", () => $$$"""[{{{ProbeEvent}}},{"deviceId":"x","timestamp":"{{{Ts()}}}","metrics":{},"temp":1}]""", HttpStatusCode.BadRequest, "$[1].temp" },
        { "missing deviceId", "POST", "/api/telemetry", "application/json", () => $$$"""[{{{ProbeEvent}}},{"timestamp":"{{{Ts()}}}","metrics":{}}]""", HttpStatusCode.BadRequest, "$[1].deviceId" },
        { "non-finite number", "POST", "/api/telemetry", "application/json", () => $$$"""[{{{ProbeEvent}}},{"deviceId":"x","timestamp":"{{{Ts()}}}","metrics":{"t":1e400}}]""", HttpStatusCode.BadRequest, "$[1].metrics.t" },
        { "id with a space", "POST", "/api/telemetry", "application/json", () => $$$"""[{{{ProbeEvent}}},{"deviceId":"a b","timestamp":"{{{Ts()}}}","metrics":{}}]""", HttpStatusCode.BadRequest, "$[1].deviceId" },
        { "id of 129 characters", "POST", "/api/telemetry", "application/json", () => $$$"""[{{{ProbeEvent}}},{"deviceId":"{{{new string('d', 129)}}}","timestamp":"{{{Ts()}}}","metrics":{}}]""", HttpStatusCode.BadRequest, "$[1].deviceId" },
        { "timestamp a day ahead", "POST", "/api/telemetry", "application/json", () => $$$"""[{{{ProbeEvent}}},{"deviceId":"x","timestamp":"{{{Ts(86_400)}}}","metrics":{}}]""", HttpStatusCode.BadRequest, "$[1].timestamp" },
        { "negative seq", "POST", "/api/telemetry", "application/json", () => $$$"""[{{{ProbeEvent}}},{"deviceId":"x","seq":-4,"timestamp":"{{{Ts()}}}","metrics":{}}]""", HttpStatusCode.BadRequest, "$[1].seq" },
        { "unknown status", "POST", "/api/telemetry", "application/json", () => $$$"""[{{{ProbeEvent}}},{"deviceId":"x","timestamp":"{{{Ts()}}}","status":"on fire"}]""", HttpStatusCode.BadRequest, "$[1].status" },
        { "empty array", "POST", "/api/telemetry", "application/json", () => "[]", HttpStatusCode.BadRequest, "$" },
        { "device id in the route", "GET", "/api/devices/bad%20id", null, () => "", HttpStatusCode.BadRequest, "deviceId" },
        { "alarm state filter", "GET", $"/api/devices/{Probe}/alarms?state=open", null, () => "", HttpStatusCode.BadRequest, "state" },
        { "alarm id in the route", "POST", $"/api/devices/{Probe}/alarms/a%2F1/ack", null, () => "", HttpStatusCode.BadRequest, "alarmId" },
        { "rule clear threshold above threshold", "PUT", $"/api/devices/{Probe}/rules", "application/json", () => """[{"id":"hot","metric":"temperature","threshold":50,"clearThreshold":60}]""", HttpStatusCode.BadRequest, "$[0].clearThreshold" },
        { "rule unknown field", "PUT", $"/api/devices/{Probe}/rules", "application/json", () => """[{"id":"hot","metric":"temperature","threshold":50,"treshold":60}]""", HttpStatusCode.BadRequest, "$[0].treshold" },
        { "rule missing threshold", "PUT", $"/api/devices/{Probe}/rules", "application/json", () => """[{"id":"hot","metric":"temperature"}]""", HttpStatusCode.BadRequest, "$[0]" },
        { "rule bad severity", "PUT", $"/api/devices/{Probe}/rules", "application/json", () => """[{"id":"hot","metric":"temperature","threshold":1,"severity":"apocalyptic"}]""", HttpStatusCode.BadRequest, "$[0].severity" },
        { "rules not an array", "PUT", $"/api/devices/{Probe}/rules", "application/json", () => """{"id":"hot"}""", HttpStatusCode.BadRequest, "$" },
        { "fleet alarm limit", "GET", "/api/alarms?limit=0", null, () => "", HttpStatusCode.BadRequest, "limit" },
        { "fleet alarm severity", "GET", "/api/alarms?severity=7", null, () => "", HttpStatusCode.BadRequest, "severity" },
        { "fleet alarm token", "GET", "/api/alarms?continuationToken=not-a-token", null, () => "", HttpStatusCode.BadRequest, "continuationToken" },
        { "65 metrics in one event", "POST", "/api/telemetry", "application/json", () => $$$"""[{{{ProbeEvent}}},{"deviceId":"x","timestamp":"{{{Ts()}}}","metrics":{{{{string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"m{i}\":1"))}}}}}]""", HttpStatusCode.BadRequest, "$[1].metrics" },
        { "metric name of 129 characters", "POST", "/api/telemetry", "application/json", () => $$$"""[{{{ProbeEvent}}},{"deviceId":"x","timestamp":"{{{Ts()}}}","metrics":{"{{{new string('m', 129)}}}":1}}]""", HttpStatusCode.BadRequest, $"$[1].metrics.{new string('m', 129)}" },
        { "events nested too deep", "POST", "/api/telemetry", "application/json", () => $"[{ProbeEvent},{new string('[', 64)}{new string(']', 64)}]", HttpStatusCode.BadRequest, "$" },
        { "rules over 256 KiB", "PUT", $"/api/devices/{Probe}/rules", "application/json", () => $"""[{new string(' ', 256 * 1024)}]""", HttpStatusCode.RequestEntityTooLarge, null },
        { "rules nested too deep", "PUT", $"/api/devices/{Probe}/rules", "application/json", () => """[{"id":"hot","metric":"temperature","threshold":1,"holdTime":{"a":{"b":1}}}]""", HttpStatusCode.BadRequest, "$" },
        { "rule id of 129 characters", "PUT", $"/api/devices/{Probe}/rules", "application/json", () => $$"""[{"id":"{{new string('r', 129)}}","metric":"temperature","threshold":1}]""", HttpStatusCode.BadRequest, "$[0].id" },
    };

    public async Task InitializeAsync()
    {
        // Seed the probe once per test run: a second seed would arrive later through the stream as a duplicate and
        // change the counters under a running case.
        if ((await _client.GetAsync($"/api/devices/{Probe}")).IsSuccessStatusCode)
        {
            return;
        }

        var seed = await _client.PostAsync("/api/telemetry", new StringContent(
            $$$"""[{"deviceId":"{{{Probe}}}","seq":1,"timestamp":"{{{Ts(-60)}}}","metrics":{"temperature":20},"status":"running"}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, seed.StatusCode);
        await Eventually.DeviceAsync(_client, Probe, d => d.LastSeq >= 1);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_request_gets_its_status_and_a_problem_naming_the_field_and_changes_nothing(
        string name, string method, string url, string? contentType, Func<string> body, HttpStatusCode status, string? field)
    {
        var before = await ProbeStateAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method != "GET")
        {
            request.Content = new StringContent(body(), Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : new(contentType) { CharSet = "utf-8" };
        }

        var response = await _client.SendAsync(request);

        Assert.True(status == response.StatusCode, $"{name}: expected {status}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (field is not null)
        {
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"{name}: no error for '{field}' in {errors}");
        }

        // Ingest is asynchronous: a wrongly accepted event would land a moment later. Send the probe's next event
        // after the rejected request, on the same stream, and wait until it is applied: by then anything accepted
        // before it has been applied too (or held as pending, if its seq was ahead).
        var marker = before.Device.LastSeq + 1;
        var sent = await _client.PostAsync("/api/telemetry", new StringContent(
            $$$"""[{"deviceId":"{{{Probe}}}","seq":{{{marker}}},"timestamp":"{{{Ts()}}}","metrics":{"temperature":20}}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        await Eventually.DeviceAsync(_client, Probe, d => d.LastSeq >= marker);

        var after = await ProbeStateAsync();
        Assert.Equal(
            (before.Device.Status, marker, 0, before.Device.Counters with { Applied = before.Device.Counters.Applied + 1 }, before.Alarms, before.Rules),
            (after.Device.Status, after.Device.LastSeq, after.Device.Pending, after.Device.Counters, after.Alarms, after.Rules));
    }

    private async Task<(DeviceView Device, string Alarms, string Rules)> ProbeStateAsync() =>
        ((await _client.GetFromJsonAsync<DeviceView>($"/api/devices/{Probe}", ApiFactory.Json))!,
         await _client.GetStringAsync($"/api/devices/{Probe}/alarms?state=all"),
         await _client.GetStringAsync($"/api/devices/{Probe}/rules"));
}
