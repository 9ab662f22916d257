using System.ComponentModel.DataAnnotations;

namespace OrleansFleet.Silo.Simulation;

/// <summary>The built-in fleet simulator (configuration section <c>Fleet:Simulator</c>; <c>--simulate N</c> sets <see cref="Devices"/>).</summary>
public sealed class SimulatorOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:Simulator";

    /// <summary>How many devices to simulate; 0 turns the simulator off.</summary>
    [Range(0, 100_000)]
    public int Devices { get; set; }

    /// <summary>How often each device reports.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);
}
