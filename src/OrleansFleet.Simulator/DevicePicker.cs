namespace OrleansFleet.Simulator;

/// <summary>
/// Picks which device reports next, by a <see cref="TrafficShape"/>. Deterministic for a seed, so every benchmark
/// variant and every simulator run with the same arguments sees the same traffic.
/// </summary>
public sealed class DevicePicker
{
    /// <summary>The share of all traffic the hottest device carries in the Zipf shape.</summary>
    public const double HotShare = 0.20;

    private readonly Random _random;
    private readonly int _devices;
    private readonly double[]? _cumulative;

    /// <summary>Creates a picker over <paramref name="devices"/> devices.</summary>
    public DevicePicker(TrafficShape shape, int devices, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        _random = new Random(seed);
        _devices = devices;
        if (shape == TrafficShape.Zipf && devices > 1)
        {
            _cumulative = ZipfCumulative(devices, ExponentForTopShare(devices, HotShare));
        }
    }

    /// <summary>The next device, 0-based; device 0 is the hot one in the Zipf shape.</summary>
    public int Next()
    {
        if (_cumulative is null)
        {
            return _random.Next(_devices);
        }

        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _devices - 1);
    }

    /// <summary>
    /// The Zipf exponent at which rank 1 carries <paramref name="share"/> of the traffic over <paramref name="n"/>
    /// ranks. A fixed exponent would make the hot device's share depend on the fleet size; the issue fixes the share.
    /// </summary>
    internal static double ExponentForTopShare(int n, double share)
    {
        double lo = 0, hi = 8;
        for (var i = 0; i < 60; i++)
        {
            var mid = (lo + hi) / 2;
            var harmonic = 0.0;
            for (var k = 1; k <= n; k++)
            {
                harmonic += Math.Pow(k, -mid);
            }

            // A larger exponent concentrates more traffic on rank 1.
            if (1 / harmonic < share)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }

    private static double[] ZipfCumulative(int n, double exponent)
    {
        var cumulative = new double[n];
        var sum = 0.0;
        for (var k = 1; k <= n; k++)
        {
            sum += Math.Pow(k, -exponent);
            cumulative[k - 1] = sum;
        }

        for (var i = 0; i < n; i++)
        {
            cumulative[i] /= sum;
        }

        return cumulative;
    }
}
