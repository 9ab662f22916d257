using System.Net;
using System.Net.Http.Json;
using System.Text;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Observability;

/// <summary>
/// The host pointed at an OTLP/HTTP collector by the standard <c>OTEL_EXPORTER_OTLP_*</c> settings: a tiny receiver
/// on loopback that keeps every body posted to <c>/v1/metrics</c> and <c>/v1/traces</c>.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Orleans_AspNetCore_and_fleet_meters_and_grain_call_traces_arrive_at_the_configured_otlp_endpoint()
    {
        var port = FreePort.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = new StringBuilder();
        var receiving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                if (context.Request.Url!.AbsolutePath is "/v1/metrics" or "/v1/traces")
                {
                    // Protobuf, but instrument and scope names are plain UTF-8 strings inside it.
                    lock (received)
                    {
                        received.Append(Encoding.UTF8.GetString(body.ToArray()));
                    }
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        using var factory = new ApiFactory(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        });
        var client = factory.CreateClient();
        var ingest = await client.PostAsync("/api/telemetry", JsonContent.Create(new[]
        {
            new { deviceId = $"otlp-{Guid.NewGuid():N}", seq = 1, timestamp = DateTimeOffset.UtcNow, metrics = new Dictionary<string, double> { ["temperature"] = 20 } },
        }));
        Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);

        // Grain-call spans (rpc.service = the grain interface) exist only with the silo's activity propagation. Orleans
        // files them under Microsoft.Orleans.Runtime, not .Application: it counts every interface whose namespace starts
        // with "Orleans" as its own, and ours is OrleansFleet.
        string[] expected = ["Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "http.server.request.duration", "OrleansFleet", "fleet.ingest.events", "fleet.events.applied", "Microsoft.Orleans.Runtime", "OrleansFleet.IDeviceGrain"];
        var arrived = await Eventually.Async(
            () =>
            {
                lock (received)
                {
                    return Task.FromResult(received.ToString());
                }
            },
            text => expected.All(name => text.Contains(name, StringComparison.Ordinal)),
            30,
            "the exported metrics and traces");
        Assert.All(expected, name => Assert.Contains(name, arrived, StringComparison.Ordinal));

        listener.Stop();
        await receiving;
    }
}
