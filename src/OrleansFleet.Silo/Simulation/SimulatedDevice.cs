namespace OrleansFleet.Silo.Simulation;

/// <summary>
/// One simulated device. Every fourth device is a chiller that runs, overheats past the fleet's 90 °C rule, reports an
/// emergency shutdown, stays off for a while and restarts; the others are meters with steady readings.
/// </summary>
internal sealed class SimulatedDevice(string id, bool isChiller, Random random)
{
    private long _seq;
    private Phase _phase = Phase.Running;
    private int _ticksLeft = random.Next(3, 15);
    private double _temperature = 65 + random.NextDouble() * 5;

    private enum Phase { Running, Overheating, Shutdown }

    /// <summary>The events of one tick. An overheat ends in a reading and a shutdown sent in reverse order on
    /// purpose, to show that order comes from <c>seq</c>: the dashboard shows the alarm cleared by the shutdown.</summary>
    public IEnumerable<TelemetryEvent> Tick(DateTimeOffset now)
    {
        if (!isChiller)
        {
            yield return Reading(now, new() { ["power"] = Math.Round(40 + random.NextDouble() * 10, 2), ["voltage"] = Math.Round(229 + random.NextDouble() * 2, 1) });
            yield break;
        }

        _ticksLeft--;
        switch (_phase)
        {
            case Phase.Running:
                _temperature = Math.Clamp(_temperature + random.NextDouble() * 2 - 1, 60, 75);
                yield return Reading(now, Chiller());
                if (_ticksLeft <= 0)
                {
                    (_phase, _ticksLeft) = (Phase.Overheating, random.Next(4, 8));
                }

                break;
            case Phase.Overheating:
                _temperature += 8 + random.NextDouble() * 4;
                if (_ticksLeft > 0)
                {
                    yield return Reading(now, Chiller());
                    break;
                }

                var lastReading = Reading(now, Chiller());
                var shutdown = new TelemetryEvent(id, ++_seq, now, TelemetryJson.EmptyMetrics, DeviceStatus.Shutdown);
                yield return shutdown;
                yield return lastReading;
                (_phase, _ticksLeft) = (Phase.Shutdown, random.Next(5, 12));
                break;
            case Phase.Shutdown:
                if (_ticksLeft <= 0)
                {
                    _temperature = 62;
                    (_phase, _ticksLeft) = (Phase.Running, random.Next(15, 40));
                    yield return new TelemetryEvent(id, ++_seq, now, Chiller(), DeviceStatus.Running);
                }

                break;
        }
    }

    private Dictionary<string, double> Chiller() => new()
    {
        ["temperature"] = Math.Round(_temperature, 1),
        ["pressure"] = Math.Round(8 + random.NextDouble() * 2, 2),
    };

    // The first report says the device is running, so the fleet summary counts it by status from the start.
    private TelemetryEvent Reading(DateTimeOffset now, Dictionary<string, double> metrics) =>
        new(id, ++_seq, now, metrics, _seq == 1 ? DeviceStatus.Running : null);
}
