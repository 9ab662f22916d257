namespace OrleansFleet.Simulator;

/// <summary>
/// The content of a device's n-th event for its role. Pure functions of (role, seq), so the benchmark's pre-generated
/// workload and the live simulator produce the same readings, and the expected alarms can be worked out from the
/// role alone. Written against the default rules: temperature-high above 90, cleared at 85 or below.
/// </summary>
public static class DeviceScript
{
    /// <summary>Events in one overheat-then-shutdown cycle.</summary>
    public const int OverheatCycle = 50;

    /// <summary>How many events a silent device sends before it stops.</summary>
    public const int SilentAfter = 3;

    /// <summary>The temperature and status of event <paramref name="seq"/> (from 1) of device <paramref name="device"/>.</summary>
    public static (double Temperature, DeviceStatus? Status) Event(DeviceRole role, int device, long seq)
    {
        // Normal readings drift between 30 and 69.5 in half-degree steps: far from both thresholds.
        var normal = 30 + (((device * 7) + (seq * 13)) % 80 / 2.0);
        switch (role)
        {
            case DeviceRole.OverheatThenShutdown:
                var step = (seq - 1) % OverheatCycle;
                return step switch
                {
                    0 => (normal, DeviceStatus.Running),
                    >= 30 and < 40 => (95, null),
                    40 => (96, DeviceStatus.Shutdown),
                    > 40 => (97, null),
                    _ => (normal, null),
                };
            case DeviceRole.Flapping:
                // 91, 88, 92, 87, ...: breaches, dips, never back to 85 until the last event of each 100.
                return (seq % 100 == 0 ? 70 : (seq % 2 == 1 ? 91 + (seq % 4) : 87 + (seq % 3)), null);
            default:
                return (normal, null);
        }
    }

    /// <summary>
    /// How many temperature-high alarms a device of <paramref name="role"/> raises over events 1..<paramref name="lastSeq"/>,
    /// and whether one is still open after them, when they are applied in seq order.
    /// </summary>
    public static (long Raised, bool OpenAtEnd) ExpectedAlarms(DeviceRole role, long lastSeq)
    {
        switch (role)
        {
            case DeviceRole.OverheatThenShutdown:
                // One alarm per cycle that reached its first overheat reading (step 30), cleared by the shutdown at step 40.
                var full = lastSeq / OverheatCycle;
                var rest = lastSeq % OverheatCycle;
                return (full + (rest > 30 ? 1 : 0), rest is > 30 and <= 40);
            case DeviceRole.Flapping:
                // One alarm per hundred (raised at seq 1 of it), cleared by the cool reading that ends it.
                var hundreds = lastSeq / 100;
                var tail = lastSeq % 100;
                return (hundreds + (tail > 0 ? 1 : 0), tail > 0);
            default:
                return (0, false);
        }
    }

    /// <summary>
    /// Whether a device's temperature alarms are what its role must produce over events 1..<paramref name="lastSeq"/>:
    /// <paramref name="open"/> open ones, and <paramref name="visible"/> in all (open plus the cleared history,
    /// which the device keeps only up to <paramref name="historyLimit"/>).
    /// </summary>
    public static bool AlarmsMatch(DeviceRole role, long lastSeq, int open, int visible, int historyLimit)
    {
        var (raised, openAtEnd) = ExpectedAlarms(role, lastSeq);
        var expectedOpen = openAtEnd ? 1 : 0;
        return open == expectedOpen && visible == Math.Min(raised - expectedOpen, historyLimit) + expectedOpen;
    }

    /// <summary>The metric dictionaries events share, one per half-degree: events are immutable, so sharing is safe and saves memory.</summary>
    public static IReadOnlyDictionary<string, double> Metrics(double temperature)
    {
        var slot = (int)Math.Round(temperature * 2);
        if ((uint)slot < (uint)SharedMetrics.Length)
        {
            return SharedMetrics[slot];
        }

        return new Dictionary<string, double>(StringComparer.Ordinal) { ["temperature"] = temperature };
    }

    private static readonly Dictionary<string, double>[] SharedMetrics = CreateShared();

    private static Dictionary<string, double>[] CreateShared()
    {
        var shared = new Dictionary<string, double>[241];
        for (var i = 0; i < shared.Length; i++)
        {
            shared[i] = new Dictionary<string, double>(StringComparer.Ordinal) { ["temperature"] = i / 2.0 };
        }

        return shared;
    }
}
