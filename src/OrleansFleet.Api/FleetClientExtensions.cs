using Microsoft.Extensions.Options;
using OrleansFleet.Hosting;
using OrleansFleet.Streaming.EventHubs.Hosting;
using OrleansFleet.Streaming.Redis.Hosting;

namespace OrleansFleet.Api;

/// <summary>
/// Wires the API process as an Orleans client of the cluster <c>Fleet:Mode</c> describes: the same <c>Orleans</c>
/// section the silos bind (ClusterId, ServiceId, <c>Orleans:Clustering</c>, whose membership table lists the silos'
/// gateways), the storage account, and a producer on the durable telemetry stream.
/// </summary>
internal static class FleetClientExtensions
{
    public static WebApplicationBuilder AddFleetClient(this WebApplicationBuilder builder)
    {
        // Before UseOrleansClient, which reads the Orleans section while the client builder is created.
        builder.AddFleetConfiguration(client: true);
        builder.Services.AddSingleton<IValidateOptions<FleetModeOptions>, ApiModeValidator>();
        var streaming = builder.Configuration.GetSection(FleetStreamingOptions.SectionName).Get<FleetStreamingOptions>() ?? new();

        builder.UseOrleansClient(client =>
        {
            // Grain calls from the API carry the request's W3C trace context, so a trace follows it into the silos.
            client.AddActivityPropagation();
            // The clustering provider takes the account's client by ServiceKey; the history is read here for
            // GET /api/devices/{id}/telemetry (the silos write it).
            client.Services.AddFleetStorageAccount();
            client.Services.AddFleetTelemetryHistory(FleetStorageAccountExtensions.HistoryProvider(builder.Configuration));
            switch (streaming.Provider)
            {
                case StreamingProvider.Redis:
                    // The ingest point appends to Redis itself (a 202 means Redis confirmed the XADD); the silos read.
                    // Key prefix and partitions come from the same section as the silos', so both hash alike.
                    client.AddRedisTelemetryStreams(TelemetryStream.ProviderName, streams => streams.ConfigureRedis(redis => redis
                        .BindConfiguration(FleetStreamingOptions.RedisSectionName)
                        .PostConfigure(o => o.ConnectionString = FleetStreamingOptions.RedisConnectionString(builder.Configuration, o.ConnectionString))));
                    break;
                case StreamingProvider.EventHubs:
                    client.AddEventHubTelemetryProducer(TelemetryStream.ProviderName);
                    break;
                default:
                    // Memory streams live inside the silos: ApiModeValidator stops the host at start, naming the choices.
                    break;
            }
        });

        // The API process's own ingest point is counted here and reported to the cluster (GET /api/fleet/hot).
        builder.Services.AddHostedService<HotDeviceReporter>();
        return builder;
    }
}
