using OrleansFleet.Simulator;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// The rate of the paced HTTP row: half the HTTP target or half the rate the unpaced HTTP row measured in the
/// same run on the same shape, whichever is lower, so the latency target is checked at a load the system can carry.
/// </summary>
public sealed class HttpPace
{
    /// <summary>The HTTP end-to-end target, events/s.</summary>
    public const double TargetRate = 300_000;

    private readonly Dictionary<TrafficShape, double> _measured = [];

    /// <summary>Records the unpaced row's rate on <paramref name="shape"/>.</summary>
    public void Record(TrafficShape shape, double eventsPerSecond) => _measured[shape] = eventsPerSecond;

    /// <summary>The paced rate for <paramref name="shape"/>, events/s.</summary>
    public double RateFor(TrafficShape shape) =>
        _measured.TryGetValue(shape, out var measured) ? Math.Min(TargetRate, measured) / 2 : TargetRate / 2;
}
