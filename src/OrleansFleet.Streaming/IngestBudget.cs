namespace OrleansFleet.Streaming;

/// <summary>
/// The memory streams' admission control: a count of events accepted but not yet applied, bounded by
/// <see cref="TelemetryLimits.MaxUnappliedEvents"/>. The API takes from it before appending (or refuses the request
/// whole), and the partition consumer gives back once its devices applied a batch. A durable transport needs none:
/// its backlog is stored, not held in the silo's memory. It is per process, which is what the embedded mode is.
/// </summary>
public sealed class IngestBudget(int capacity)
{
    private long _used;

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

    /// <summary>Gives <paramref name="events"/> back.</summary>
    public void Release(int events) => Interlocked.Add(ref _used, -events);
}
