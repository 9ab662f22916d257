namespace OrleansFleet.Grains.HotDevices;

/// <summary>
/// The space-saving heavy-hitter summary (Metwally, Agrawal, El Abbadi 2005): at most <see cref="Capacity"/> counters,
/// whatever the number of distinct keys. A new key, when every counter is taken, takes over the smallest counter and
/// inherits its count as its error. So every estimate is at least the true count and at most
/// <c>true + Total / Capacity</c>, and every key whose true count exceeds <c>Total / Capacity</c> holds a counter.
/// The counters are a binary min-heap (with a key → slot index), so a record or an eviction is O(log capacity).
/// Not thread-safe: <see cref="HotDeviceTracker"/> serializes access.
/// </summary>
public sealed class SpaceSavingSummary
{
    private readonly string[] _keys;
    private readonly long[] _counts;
    private readonly long[] _errors;
    private readonly Dictionary<string, int> _slots;
    private int _used;

    public SpaceSavingSummary(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _keys = new string[capacity];
        _counts = new long[capacity];
        _errors = new long[capacity];
        _slots = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
    }

    /// <summary>How many counters the summary keeps at most.</summary>
    public int Capacity => _keys.Length;

    /// <summary>Everything recorded, exactly.</summary>
    public long Total { get; private set; }

    /// <summary>
    /// The most a key's estimate can exceed its true count, and the most a key without a counter can have had: the
    /// smallest counter once every counter is taken, zero before.
    /// </summary>
    public long MaxError => _used == _keys.Length ? _counts[0] : 0;

    /// <summary>Adds <paramref name="count"/> occurrences of <paramref name="key"/>.</summary>
    public void Record(string key, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Total += count;
        if (_slots.TryGetValue(key, out var slot))
        {
            _counts[slot] += count;
            SiftDown(slot);
            return;
        }

        if (_used < _keys.Length)
        {
            slot = _used++;
            Place(slot, key, count, 0);
            SiftUp(slot);
            return;
        }

        // Every counter is taken: the smallest (the heap's root) goes to the new key, which inherits its count as error.
        var floor = _counts[0];
        _slots.Remove(_keys[0]);
        Place(0, key, floor + count, floor);
        SiftDown(0);
    }

    /// <summary>The counters held, in no particular order: key, estimated count (an upper bound) and its error.</summary>
    public IEnumerable<(string Key, long Count, long Error)> Counters()
    {
        for (var i = 0; i < _used; i++)
        {
            yield return (_keys[i], _counts[i], _errors[i]);
        }
    }

    /// <summary>The estimate for <paramref name="key"/> if it holds a counter.</summary>
    public bool TryGet(string key, out long count)
    {
        var found = _slots.TryGetValue(key, out var slot);
        count = found ? _counts[slot] : 0;
        return found;
    }

    /// <summary>Forgets everything, keeping the allocated counters.</summary>
    public void Clear()
    {
        Array.Clear(_keys, 0, _used);
        _slots.Clear();
        _used = 0;
        Total = 0;
    }

    private void Place(int slot, string key, long count, long error)
    {
        _keys[slot] = key;
        _counts[slot] = count;
        _errors[slot] = error;
        _slots[key] = slot;
    }

    private void SiftUp(int slot)
    {
        while (slot > 0)
        {
            var parent = (slot - 1) / 2;
            if (_counts[parent] <= _counts[slot])
            {
                return;
            }

            Swap(slot, parent);
            slot = parent;
        }
    }

    private void SiftDown(int slot)
    {
        while (true)
        {
            var smallest = slot;
            var left = (2 * slot) + 1;
            var right = left + 1;
            if (left < _used && _counts[left] < _counts[smallest])
            {
                smallest = left;
            }

            if (right < _used && _counts[right] < _counts[smallest])
            {
                smallest = right;
            }

            if (smallest == slot)
            {
                return;
            }

            Swap(slot, smallest);
            slot = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (_keys[a], _keys[b]) = (_keys[b], _keys[a]);
        (_counts[a], _counts[b]) = (_counts[b], _counts[a]);
        (_errors[a], _errors[b]) = (_errors[b], _errors[a]);
        _slots[_keys[a]] = a;
        _slots[_keys[b]] = b;
    }
}
