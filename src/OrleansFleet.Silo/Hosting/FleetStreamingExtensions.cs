using OrleansFleet.Streaming.Hosting;
using OrleansFleet.Streaming.Redis.Hosting;

namespace OrleansFleet.Silo.Hosting;

/// <summary>Adds the telemetry stream provider chosen by <c>Fleet:Streaming:Provider</c>.</summary>
internal static class FleetStreamingExtensions
{
    public static ISiloBuilder AddFleetStreaming(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(FleetStreamingOptions.SectionName).Get<FleetStreamingOptions>() ?? new();
        switch (options.Provider)
        {
            case StreamingProvider.Memory:
                // A persistent-stream provider backed by in-silo queue grains: the same pulling agents, queue
                // balancing and implicit subscriptions as the durable providers, with nothing to install.
                silo.AddMemoryTelemetryStreams(options.MemoryPartitions);
                break;
            case StreamingProvider.Redis:
                // Durable: a 202 means Redis confirmed the XADD. Settings come from Fleet:Streaming:Redis, the
                // connection from ConnectionStrings:Redis; the provider refuses to start without one.
                silo.AddRedisTelemetryStreams(TelemetryStream.ProviderName, streams => streams.ConfigureRedis(redis => redis
                    .BindConfiguration($"{FleetStreamingOptions.SectionName}:Redis")
                    .PostConfigure(o => o.ConnectionString = o.ConnectionString is { Length: > 0 } set ? set : configuration.GetConnectionString("Redis") ?? "")));
                break;
            case StreamingProvider.EventHubs:
                throw new InvalidOperationException("Fleet:Streaming:Provider 'EventHubs' (the Azure mode's stream) needs the Event Hubs provider, which this build does not have yet; use Memory or Redis.");
            default:
                throw new InvalidOperationException($"Fleet:Streaming:Provider '{options.Provider}' is not supported; use one of: {string.Join(", ", Enum.GetNames<StreamingProvider>())}.");
        }

        return silo;
    }
}
