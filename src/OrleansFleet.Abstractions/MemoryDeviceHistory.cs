namespace OrleansFleet;

/// <summary>
/// One device's rows in <see cref="MemoryTelemetryHistoryStore"/>: the newest <c>capacity</c> readings, sorted by row
/// key. Not thread-safe; the store locks it.
/// </summary>
/// <remarks>
/// Readings mostly arrive newest last, so the rows are kept in reverse key order (oldest first, newest at the end): a
/// new reading is appended, not inserted in front of everything. The oldest is dropped by moving the start of the
/// visible rows, and the dropped ones are cut off in one go once there are a quarter of the capacity of them, so
/// neither end shifts the whole list per reading. Only the readings are kept: a key is worked out from its reading
/// when compared (<see cref="TelemetryHistoryKey.Of"/>: arithmetic for a reading with seq, a hash for one without),
/// which keeps a row at one reference while the list grows.
/// </remarks>
internal sealed class MemoryDeviceHistory(int capacity)
{
    // Sorted by key, descending; rows before _start are dropped and only wait to be cut off.
    private readonly List<TelemetryEvent> _rows = [];
    private int _start;

    /// <summary>Writes <paramref name="reading"/>'s row, replacing the one with the same key.</summary>
    public void Put(TelemetryEvent reading)
    {
        var key = TelemetryHistoryKey.Of(reading);
        if (_rows.Count == _start || key.CompareTo(TelemetryHistoryKey.Of(_rows[^1])) < 0)
        {
            _rows.Add(reading);
        }
        else
        {
            var at = Find(key);
            if (at >= 0)
            {
                _rows[at] = reading;
                return;
            }

            _rows.Insert(~at, reading);
        }

        if (_rows.Count - _start > capacity)
        {
            // The oldest row (the greatest key) is the first visible one.
            _rows[_start++] = null!;
            if (_start >= Math.Max(1, capacity / 4))
            {
                _rows.RemoveRange(0, _start);
                _start = 0;
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> readings in key order (newest first) from <paramref name="start"/> (inclusive) to
    /// <paramref name="end"/> (exclusive), each <c>null</c> for no bound, and the key of the next one if there is more.
    /// </summary>
    public (List<TelemetryEvent> Items, TelemetryHistoryKey? Next) Page(TelemetryHistoryKey? start, TelemetryHistoryKey? end, int limit)
    {
        List<TelemetryEvent> items = [];
        // In key order means from the end of the list backwards; the first row at or after start is the last one
        // whose key is >= start, i.e. just before where start would be inserted.
        var i = _rows.Count - 1;
        if (start is { } from)
        {
            var at = Find(from);
            i = at >= 0 ? at : ~at - 1;
        }

        for (; i >= _start; i--)
        {
            var reading = _rows[i];
            var key = TelemetryHistoryKey.Of(reading);
            if (end is { } until && key.CompareTo(until) >= 0)
            {
                break;
            }

            if (items.Count == limit)
            {
                return (items, key);
            }

            items.Add(reading);
        }

        return (items, null);
    }

    /// <summary>The index of <paramref name="key"/> among the visible rows, or the complement of where it belongs.</summary>
    private int Find(TelemetryHistoryKey key)
    {
        int low = _start, high = _rows.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            // Descending order: a greater key lies further left.
            var order = key.CompareTo(TelemetryHistoryKey.Of(_rows[middle]));
            if (order == 0)
            {
                return middle;
            }

            if (order > 0)
            {
                high = middle - 1;
            }
            else
            {
                low = middle + 1;
            }
        }

        return ~low;
    }
}
