namespace OrleansFleet.Simulator;

/// <summary>
/// An endless, deterministic stream of events over a <see cref="FleetPlan"/>: the shape picks the device, the device's
/// role and next <c>seq</c> decide the content. It also keeps what was produced per device, for the read-back checks.
/// </summary>
public sealed class TrafficSource(FleetPlan plan, TrafficShape shape, int seed, DateTimeOffset start)
{
    private const int MaxPicks = 1_000;
    private readonly DevicePicker _picker = new(shape, plan.Count, seed);
    private readonly long[] _lastSeq = new long[plan.Count];

    /// <summary>The plan.</summary>
    public FleetPlan Plan => plan;

    /// <summary>The last seq produced for <paramref name="device"/> (0 if none).</summary>
    public long LastSeq(int device) => _lastSeq[device];

    /// <summary>The next event and its device number; false only when every device picked was silent for good.</summary>
    public bool TryNext(out TelemetryEvent telemetry, out int device)
    {
        for (var attempt = 0; attempt < MaxPicks; attempt++)
        {
            device = _picker.Next();
            var role = plan.Role(device);
            if (role == DeviceRole.Silent && _lastSeq[device] >= DeviceScript.SilentAfter)
            {
                continue;
            }

            var seq = ++_lastSeq[device];
            var (temperature, status) = DeviceScript.Event(role, device, seq);
            // Device time advances a millisecond per event from a start in the past, so no timestamp is ever in the future.
            telemetry = new TelemetryEvent(plan.Id(device), seq, start.AddMilliseconds(seq), DeviceScript.Metrics(temperature), status);
            return true;
        }

        telemetry = null!;
        device = -1;
        return false;
    }
}
