using System.ComponentModel.DataAnnotations;

namespace OrleansFleet.Silo.Hosting;

/// <summary>How this silo joins its cluster (configuration section <c>Fleet:Cluster</c>).</summary>
public sealed class FleetClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:Cluster";

    /// <summary>The port silos talk to each other on.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;
}
