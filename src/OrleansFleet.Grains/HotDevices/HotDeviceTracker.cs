using Microsoft.Extensions.Options;

namespace OrleansFleet.Grains.HotDevices;

/// <summary>
/// A silo's heavy-hitter tracker over a sliding window: a ring of one <see cref="SpaceSavingSummary"/> per interval,
/// merged on read. Memory is <c>WindowIntervals × Capacity</c> counters plus <c>HistoryIntervals</c> totals, whatever
/// the fleet size. Intervals are aligned to the Unix epoch, so the silos' windows line up when their snapshots are
/// merged. Fed at the ingest point (every valid event the API receives); one lock, taken once per request.
/// </summary>
public sealed class HotDeviceTracker
{
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private readonly SpaceSavingSummary[] _window;
    private readonly long[] _windowEpochs;
    private readonly long[] _history;
    private readonly long[] _historyEpochs;
    private readonly DateTimeOffset _started;
    private readonly Lock _lock = new();

    public HotDeviceTracker(IOptions<HotDeviceOptions> options, TimeProvider time)
    {
        var o = options.Value;
        _time = time;
        _intervalTicks = o.Interval.Ticks;
        _window = [.. Enumerable.Range(0, o.WindowIntervals).Select(_ => new SpaceSavingSummary(o.Capacity))];
        _windowEpochs = Enumerable.Repeat(-1L, o.WindowIntervals).ToArray();
        _history = new long[o.HistoryIntervals];
        _historyEpochs = Enumerable.Repeat(-1L, o.HistoryIntervals).ToArray();
        _started = time.GetUtcNow();
    }

    /// <summary>Counts one request's events, grouped by device.</summary>
    public void Record(IReadOnlyList<TelemetryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var byDevice = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            byDevice[e.DeviceId] = byDevice.GetValueOrDefault(e.DeviceId) + 1;
        }

        lock (_lock)
        {
            var epoch = Epoch(_time.GetUtcNow());
            var summary = _window[epoch % _window.Length];
            if (_windowEpochs[epoch % _window.Length] != epoch)
            {
                // The slot still holds an interval that has slid out of the window.
                summary.Clear();
                _windowEpochs[epoch % _window.Length] = epoch;
            }

            foreach (var (deviceId, count) in byDevice)
            {
                summary.Record(deviceId, count);
            }

            var slot = (int)(epoch % _history.Length);
            if (_historyEpochs[slot] != epoch)
            {
                (_historyEpochs[slot], _history[slot]) = (epoch, 0);
            }

            _history[slot] += events.Count;
        }
    }

    /// <summary>The heaviest devices over the window, at most <paramref name="limit"/>, as silo <paramref name="silo"/> saw them.</summary>
    public HotDevicesSnapshot Snapshot(string silo, int limit)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var epoch = Epoch(now);
            var merged = new Dictionary<string, long>(StringComparer.Ordinal);
            long total = 0, maxError = 0;
            for (var i = 0; i < _window.Length; i++)
            {
                if (!Live(_windowEpochs[i], epoch, _window.Length))
                {
                    continue;
                }

                // A key present in an interval is over-counted by at most that interval's floor; one absent from it had
                // at most the floor there. Summing the floors bounds the merged estimate's error both ways.
                total += _window[i].Total;
                maxError += _window[i].MaxError;
                foreach (var (key, count, _) in _window[i].Counters())
                {
                    merged[key] = merged.GetValueOrDefault(key) + count;
                }
            }

            var devices = merged
                .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Take(limit)
                .Select(p => new HotDeviceCount(p.Key, p.Value))
                .ToList();
            return new HotDevicesSnapshot(silo, now, WindowSpan(now, epoch), total, maxError, devices, History(epoch));
        }
    }

    private long Epoch(DateTimeOffset at) => at.UtcTicks / _intervalTicks;

    private static bool Live(long slotEpoch, long epoch, int length) => slotEpoch >= 0 && slotEpoch > epoch - length && slotEpoch <= epoch;

    // Full intervals before the current one plus the elapsed part of it, but never more than the tracker has been up.
    private TimeSpan WindowSpan(DateTimeOffset now, long epoch)
    {
        var windowStart = new DateTimeOffset((epoch - _window.Length + 1) * _intervalTicks, TimeSpan.Zero);
        var start = windowStart > _started ? windowStart : _started;
        var span = now - start;
        return span > TimeSpan.Zero ? span : TimeSpan.FromTicks(1);
    }

    private List<IngestInterval> History(long epoch)
    {
        var length = TimeSpan.FromTicks(_intervalTicks);
        var intervals = new List<IngestInterval>(_history.Length);
        for (var e = epoch - _history.Length + 1; e <= epoch; e++)
        {
            var slot = (int)(e % _history.Length);
            var events = _historyEpochs[slot] == e ? _history[slot] : 0;
            intervals.Add(new IngestInterval(new DateTimeOffset(e * _intervalTicks, TimeSpan.Zero), length, events));
        }

        return intervals;
    }
}
