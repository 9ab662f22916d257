using System.ComponentModel.DataAnnotations;

namespace OrleansFleet.Silo.Hosting;

/// <summary>How this silo joins its cluster (configuration section <c>Fleet:Cluster</c>).</summary>
public sealed class FleetClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:Cluster";

    /// <summary>How silos find each other.</summary>
    public ClusteringProvider Provider { get; set; } = ClusteringProvider.Localhost;

    /// <summary>The port silos talk to each other on.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Names this deployment: silos with the same cluster id form one cluster. Change it for a blue/green deployment.
    /// </summary>
    [Required]
    public string ClusterId { get; set; } = "dev";

    /// <summary>
    /// Names the service across deployments: storage keys and the stream consumer group are derived from it, so keep
    /// it for the life of the data.
    /// </summary>
    [Required]
    public string ServiceId { get; set; } = "orleansfleet";

    /// <summary>The address other silos reach this one at; by default Orleans picks this machine's first non-loopback address.</summary>
    public string? AdvertisedAddress { get; set; }
}

/// <summary>How silos find each other.</summary>
public enum ClusteringProvider
{
    /// <summary>One silo on this machine, membership in memory: the embedded mode.</summary>
    Localhost = 0,

    /// <summary>Membership and reminders in Redis (<c>ConnectionStrings:Redis</c>): any number of silos.</summary>
    Redis = 1,
}
