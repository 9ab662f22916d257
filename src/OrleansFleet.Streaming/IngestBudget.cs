namespace OrleansFleet.Streaming;

/// <summary>
/// The memory streams' admission control: a count of events accepted but not yet applied, bounded by
/// <see cref="TelemetryLimits.MaxUnappliedEvents"/>. The API takes from it before appending (or refuses the request
/// whole), and the partition consumer gives back once its devices applied a batch. A durable transport needs none:
/// its backlog is stored, not held in the silo's memory. It is per process, which is what the embedded mode is.
/// </summary>
/// <remarks>
/// A request that does not fit may wait a bounded time for the consumers to give back (<see cref="AcquireAsync"/>):
/// at saturation the budget frees continuously, and holding the request costs nothing, while a refusal sends the
/// client away for a whole <c>Retry-After</c> second in which the partitions may run dry.
/// </remarks>
public sealed class IngestBudget(int capacity, TimeProvider time)
{
    private long _used;

    // Completed, and replaced, on every give-back: what waiting requests await before they try again.
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a budget on the system clock.</summary>
    public IngestBudget(int capacity)
        : this(capacity, TimeProvider.System)
    {
    }

    /// <summary>Events accepted and not yet applied.</summary>
    public long Used => Interlocked.Read(ref _used);

    /// <summary>The bound.</summary>
    public int Capacity => capacity;

    /// <summary>Takes <paramref name="events"/> from the budget if they fit; a request larger than the whole budget fits only into an empty one.</summary>
    public bool TryAcquire(int events)
    {
        while (true)
        {
            var used = Interlocked.Read(ref _used);
            if (used > 0 && used + events > capacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _used, used + events, used) == used)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Takes <paramref name="events"/> as <see cref="TryAcquire"/> does, waiting up to <paramref name="maxWait"/> for
    /// enough to be given back; false when they did not fit in time (nothing is taken then).
    /// </summary>
    public async Task<bool> AcquireAsync(int events, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            // Read before trying, so a give-back between the try and the wait is not missed.
            var released = Volatile.Read(ref _released).Task;
            if (TryAcquire(events))
            {
                return true;
            }

            var left = maxWait - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await released.WaitAsync(left, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return TryAcquire(events);
            }
        }
    }

    /// <summary>Gives <paramref name="events"/> back.</summary>
    public void Release(int events)
    {
        Interlocked.Add(ref _used, -events);
        Interlocked.Exchange(ref _released, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
