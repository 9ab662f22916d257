using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace OrleansFleet.Silo.Hosting;

/// <summary>Joins the cluster chosen by <c>Fleet:Cluster:Provider</c>; membership is Orleans' own, never hand-made.</summary>
internal static class FleetClusteringExtensions
{
    public static ISiloBuilder AddFleetClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(FleetClusterOptions.SectionName).Get<FleetClusterOptions>() ?? new();
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });

        switch (options.Provider)
        {
            case ClusteringProvider.Localhost:
                silo.UseLocalhostClustering(serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.UseInMemoryReminderService();
                break;
            case ClusteringProvider.Redis:
                var redis = configuration.GetConnectionString("Redis");
                if (string.IsNullOrWhiteSpace(redis))
                {
                    throw new InvalidOperationException("Fleet:Cluster:Provider is Redis but ConnectionStrings:Redis is not set (for example \"127.0.0.1:6380\").");
                }

                // The official Redis providers: the membership table (who is in the cluster, who is dead) and the
                // reminder table, so the index shards' offline backstop survives the silo that registered it.
                silo.UseRedisClustering(redis);
                silo.UseRedisReminderService(reminders => reminders.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
                break;
            default:
                throw new InvalidOperationException($"Fleet:Cluster:Provider '{options.Provider}' is not supported; use one of: {string.Join(", ", Enum.GetNames<ClusteringProvider>())}.");
        }

        // The ports (and address) are read when the options are first used, not when the host is built, so every
        // configuration source (command line, environment, test hosts) can still set them.
        silo.Services.AddOptions<EndpointOptions>().PostConfigure<IOptions<FleetClusterOptions>>((endpoint, fleet) =>
        {
            endpoint.SiloPort = fleet.Value.SiloPort;
            endpoint.GatewayPort = fleet.Value.GatewayPort;
            if (fleet.Value.AdvertisedAddress is { Length: > 0 } address)
            {
                endpoint.AdvertisedIPAddress = IPAddress.Parse(address);
            }
        });
        return silo;
    }
}
