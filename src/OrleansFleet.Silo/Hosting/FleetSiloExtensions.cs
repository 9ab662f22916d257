using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Storage;
using OrleansFleet.Grains.HotDevices;
using OrleansFleet.Hosting;
using OrleansFleet.Hosting.Security;

namespace OrleansFleet.Silo.Hosting;

/// <summary>
/// Wires the Orleans silo for the run mode <c>Fleet:Mode</c>. The mode is configuration, never a code edit: it fills in
/// the <c>Orleans</c> section that Orleans binds its own providers from (<see cref="FleetModeDefaults"/>).
/// </summary>
internal static class FleetSiloExtensions
{
    /// <summary>The configuration section of Orleans' <see cref="ClusterMembershipOptions"/>.</summary>
    public const string MembershipSection = "Orleans:Membership";

    /// <summary>Adds the silo, the fleet's options and the dashboard to the host.</summary>
    public static WebApplicationBuilder AddFleetSilo(this WebApplicationBuilder builder)
    {
        // Before UseOrleans: Orleans reads its section (providers, ports, identity) while the silo builder is created.
        builder.AddFleetConfiguration();
        // HotDevicesGrain is placed on the silo its key names (one per silo); Orleans needs the director for that.
        builder.Services.AddPlacementDirector<SiloKeyedPlacement, SiloKeyedPlacementDirector>();

        builder.UseOrleans(silo =>
        {
            // Grain state through Orleans' binary serializer instead of the default JSON one: every device writes its
            // state once per batch, and JSON made that write the largest cost per event (about 85% of the bytes
            // allocated on the direct path, bench/results/findings.md). Every persisted type carries [Alias] and [Id]s,
            // which is what keeps the binary format stable across renames.
            silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
            silo.Services.AddFleetStorage(builder.Configuration);
            // Development clustering (the embedded mode) needs the primary silo's endpoint; with one silo it is this one,
            // on whatever port Orleans:Endpoints:SiloPort says.
            silo.Services.AddOptions<DevelopmentClusterMembershipOptions>().PostConfigure<IOptions<EndpointOptions>>(static (membership, endpoints) =>
                membership.PrimarySiloEndpoint ??= new IPEndPoint(endpoints.Value.AdvertisedIPAddress ?? IPAddress.Loopback, endpoints.Value.SiloPort));
            // Orleans binds no membership timings from its section; these do (Orleans:Membership:ProbeTimeout,
            // NumMissedProbesLimit, …), so how fast a dead silo is declared dead is configuration (the failover test
            // shortens it; docs/architecture.md, Failover).
            silo.Services.AddOptions<ClusterMembershipOptions>().BindConfiguration(MembershipSection);
            silo.AddFleetStreaming(builder.Configuration);
            silo.AddDashboard();
            silo.AddFleetDiagnostics(builder.Configuration);
        });

        return builder;
    }

    /// <summary>The Orleans dashboard on <c>/dashboard</c>, for callers with the read scope: it runs inside the silo.</summary>
    public static WebApplication MapFleetDashboard(this WebApplication app)
    {
        app.MapOrleansDashboard(routePrefix: "/dashboard").RequireScope(FleetScopes.Read);
        return app;
    }
}
