using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansFleet.Simulator;

/// <summary>The few calls the simulator makes on an OrleansFleet API: ingest, and read a device back.</summary>
public sealed class FleetApiClient(HttpClient http)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The underlying client (its base address is the API's).</summary>
    public HttpClient Http => http;

    /// <summary>Creates a client for <paramref name="baseUrl"/> with a connection pool sized for <paramref name="connections"/> senders.</summary>
    public static FleetApiClient Create(Uri baseUrl, int connections, TimeSpan timeout) => new(new HttpClient(
        new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(connections, 2), PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) })
    {
        BaseAddress = baseUrl,
        Timeout = timeout,
    });

    /// <summary>POSTs one JSON array of events; returns the status code (202 when every event is accepted) and the <c>Retry-After</c> of a refusal.</summary>
    public async Task<IngestAnswer> PostTelemetryAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = Json;
        using var response = await http.PostAsync("api/telemetry", content, cancellationToken);
        return new IngestAnswer(response.StatusCode, response.Headers.RetryAfter?.Delta);
    }

    /// <summary>The device's live model, or null when the API has never heard of it.</summary>
    public async Task<DeviceReadback?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"api/devices/{Uri.EscapeDataString(deviceId)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<DeviceReadback>(ReadOptions, cancellationToken);
    }

    /// <summary>The device's alarms including cleared history (the API keeps a bounded history).</summary>
    public async Task<IReadOnlyList<AlarmReadback>> GetAllAlarmsAsync(string deviceId, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<AlarmReadback>>($"api/devices/{Uri.EscapeDataString(deviceId)}/alarms?state=all", ReadOptions, cancellationToken) ?? [];

    /// <summary>Polls <c>/health/ready</c> until it answers 200 or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync("health/ready", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        return false;
    }
}

/// <summary>What the API answered to one ingest request.</summary>
/// <param name="Status">202 when every event was accepted.</param>
/// <param name="RetryAfter">The refusal's <c>Retry-After</c> (429/503), if it sent one.</param>
public sealed record IngestAnswer(HttpStatusCode Status, TimeSpan? RetryAfter);
