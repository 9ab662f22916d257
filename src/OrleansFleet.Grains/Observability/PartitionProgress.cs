namespace OrleansFleet.Grains.Observability;

/// <summary>
/// Where one partition consumer stands, as its gauges read it: written by the partition grain (one turn at a time),
/// read by whichever thread collects the metrics, hence the volatile fields.
/// </summary>
public sealed class PartitionProgress
{
    private int _uncommitted;
    private int _dirtyDevices;
    private long _oldestUncommittedTicks;
    private long _barrierTicks;

    internal PartitionProgress(int partition, DateTimeOffset since)
    {
        Partition = partition;
        Tags = [new("partition", partition)];
        _barrierTicks = since.UtcTicks;
    }

    /// <summary>The partition number.</summary>
    public int Partition { get; }

    /// <summary>The gauges' tags, made once.</summary>
    internal KeyValuePair<string, object?>[] Tags { get; }

    internal int Uncommitted => Volatile.Read(ref _uncommitted);

    internal int DirtyDevices => Volatile.Read(ref _dirtyDevices);

    /// <summary>UTC ticks of the oldest delivered, uncommitted entry's append time; 0 when none.</summary>
    internal long OldestUncommittedTicks => Volatile.Read(ref _oldestUncommittedTicks);

    internal long BarrierTicks => Volatile.Read(ref _barrierTicks);

    /// <summary>After a delivery: what is now uncommitted, and the append time of the entry just delivered.</summary>
    internal void Delivered(DateTimeOffset appendedAt, int uncommitted, int dirtyDevices)
    {
        Volatile.Write(ref _uncommitted, uncommitted);
        Volatile.Write(ref _dirtyDevices, dirtyDevices);
        // Entries are delivered in append order: the first one since the last commit is the oldest.
        if (Volatile.Read(ref _oldestUncommittedTicks) == 0)
        {
            Volatile.Write(ref _oldestUncommittedTicks, appendedAt.UtcTicks);
        }
    }

    /// <summary>After a barrier that completed (committed, or found nothing to commit).</summary>
    internal void BarrierCompleted(DateTimeOffset at, int uncommitted, int dirtyDevices)
    {
        Volatile.Write(ref _barrierTicks, at.UtcTicks);
        Volatile.Write(ref _uncommitted, uncommitted);
        Volatile.Write(ref _dirtyDevices, dirtyDevices);
        if (uncommitted == 0)
        {
            Volatile.Write(ref _oldestUncommittedTicks, 0);
        }
    }
}
