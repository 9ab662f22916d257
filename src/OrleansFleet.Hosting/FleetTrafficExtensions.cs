using OrleansFleet.Grains.HotDevices;
using OrleansFleet.Hosting.Apis;
using OrleansFleet.Hosting.Ingestion;
using OrleansFleet.Hosting.Queries;

namespace OrleansFleet.Hosting;

/// <summary>Hot-device tracking and the per-device ingest limit, both applied at the API's ingest point.</summary>
internal static class FleetTrafficExtensions
{
    public static WebApplicationBuilder AddFleetTraffic(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HotDeviceOptions>()
            .BindConfiguration(HotDeviceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<DeviceIngestLimitOptions>()
            .BindConfiguration(DeviceIngestLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<HotDeviceTracker>();
        builder.Services.AddSingleton<DeviceIngestLimiter>();
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddSingleton<IngestGate>();
        builder.Services.AddSingleton<HotDeviceQueries>();
        return builder;
    }
}
