using Azure.Data.Tables;
using OrleansFleet.Hosting;
using OrleansFleet.Streaming.EventHubs.Hosting;
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
                    .BindConfiguration(FleetStreamingOptions.RedisSectionName)
                    .PostConfigure(o => o.ConnectionString = FleetStreamingOptions.RedisConnectionString(configuration, o.ConnectionString))));
                break;
            case StreamingProvider.EventHubs:
                // Orleans' own Event Hubs provider: the hub from Fleet:Streaming:EventHubs (validated at start), its
                // checkpoints in the storage account of Fleet:Storage, through the client the host registers for it.
                silo.AddEventHubTelemetryStreams(TelemetryStream.ProviderName, checkpoints => checkpoints
                    .Configure<IServiceProvider>(static (o, sp) => o.TableServiceClient = sp.GetRequiredKeyedService<TableServiceClient>(FleetStorageOptions.TableServiceKey)));
                break;
            default:
                throw new InvalidOperationException($"Fleet:Streaming:Provider '{options.Provider}' is not supported; use one of: {string.Join(", ", Enum.GetNames<StreamingProvider>())}.");
        }

        return silo;
    }
}
