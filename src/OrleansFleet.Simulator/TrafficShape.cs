namespace OrleansFleet.Simulator;

/// <summary>How traffic is spread over the devices.</summary>
public enum TrafficShape
{
    /// <summary>Every device equally likely.</summary>
    Uniform,

    /// <summary>Zipf-skewed: device 0 carries 20% of the traffic, the rest fall off by rank.</summary>
    Zipf,
}
