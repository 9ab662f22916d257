using System.Buffers;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// Groups events per device for the actor and grain variants, with at most one batch per device in flight: a device's
/// next batch leaves only when its previous one is done, so batches cannot overtake each other (Orleans does not keep
/// the order of concurrent calls to one grain). Flush triggers, as in the classic batch processor: size
/// (<see cref="SizeTrigger"/>), a window of ingested events (<see cref="FlushIdle"/>, the time trigger's stand-in), and
/// completion (whatever piled up behind an in-flight batch leaves as soon as it returns: natural batching).
/// </summary>
public sealed class DeviceBatcher(int devices, Action<int, int[], int> dispatch)
{
    /// <summary>A device's buffer leaves as a batch at this size, if nothing of the device is in flight.</summary>
    public const int SizeTrigger = 64;

    /// <summary>The most events in one batch (the API's per-request limit).</summary>
    public const int MaxBatch = 5_000;

    private readonly Slot[] _slots = Enumerable.Range(0, devices).Select(_ => new Slot()).ToArray();
    private long _dispatches;

    /// <summary>Batches sent so far.</summary>
    public long Dispatches => Interlocked.Read(ref _dispatches);

    /// <summary>Adds event <paramref name="index"/> of device <paramref name="device"/>.</summary>
    public void Add(int device, int index)
    {
        var slot = _slots[device];
        int[]? batch;
        int count;
        lock (slot)
        {
            slot.Append(index);
            if (slot.InFlight || slot.Count < SizeTrigger)
            {
                return;
            }

            batch = slot.Take(out count);
        }

        Send(device, batch, count);
    }

    /// <summary>Called when device <paramref name="device"/>'s batch is done; sends what waited behind it. Returns <paramref name="batch"/> to the pool.</summary>
    public void Completed(int device, int[] batch)
    {
        ArrayPool<int>.Shared.Return(batch);
        var slot = _slots[device];
        int[]? next = null;
        var count = 0;
        lock (slot)
        {
            if (slot.Count > 0)
            {
                next = slot.Take(out count);
            }
            else
            {
                slot.InFlight = false;
            }
        }

        if (next is not null)
        {
            Send(device, next, count);
        }
    }

    /// <summary>Sends every idle device's buffered events.</summary>
    public void FlushIdle()
    {
        for (var device = 0; device < _slots.Length; device++)
        {
            var slot = _slots[device];
            int[]? batch = null;
            var count = 0;
            lock (slot)
            {
                if (!slot.InFlight && slot.Count > 0)
                {
                    batch = slot.Take(out count);
                }
            }

            if (batch is not null)
            {
                Send(device, batch, count);
            }
        }
    }

    private void Send(int device, int[] batch, int count)
    {
        Interlocked.Increment(ref _dispatches);
        dispatch(device, batch, count);
    }

    private sealed class Slot
    {
        private int[] _buffer = new int[4];

        public int Count { get; private set; }

        public bool InFlight { get; set; }

        public void Append(int index)
        {
            if (Count == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            _buffer[Count++] = index;
        }

        /// <summary>Takes up to <see cref="MaxBatch"/> events, oldest first, into a pooled array; marks the device in flight.</summary>
        public int[] Take(out int count)
        {
            count = Math.Min(Count, MaxBatch);
            var batch = ArrayPool<int>.Shared.Rent(count);
            Array.Copy(_buffer, batch, count);
            Array.Copy(_buffer, count, _buffer, 0, Count - count);
            Count -= count;
            InFlight = true;
            return batch;
        }
    }
}
