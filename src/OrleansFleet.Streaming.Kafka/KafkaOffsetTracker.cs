namespace OrleansFleet.Streaming.Kafka;

/// <summary>
/// Decides how far a partition's committed offset may move. Kafka's checkpoint is one number per partition ("the next
/// offset to read"), so it may only pass a record once that record and every record read before it are done (applied
/// and persisted by the device grain, or dead-lettered). Orleans finishes records out of order (devices run in
/// parallel), so the tracker keeps the records read, in read order, and releases the longest done prefix: the commit
/// is the last released offset + 1. Contiguity is over records read, not over offset numbers, because offsets have
/// holes (compaction, transaction markers). Not thread-safe: the partition's pulling agent calls it one turn at a time.
/// </summary>
public sealed class KafkaOffsetTracker
{
    // Offsets read and not yet released, in read order (offsets only grow within one consumer's reading).
    private readonly LinkedList<long> _order = new();
    private readonly Dictionary<long, LinkedListNode<long>> _nodes = [];
    private readonly HashSet<long> _done = [];

    /// <summary>The offset to commit (next to read after everything done), or null while nothing new was released.</summary>
    public long? CommitOffset { get; private set; }

    /// <summary>Records read and not yet released.</summary>
    public int Outstanding => _order.Count;

    /// <summary>Records a read offset. A repeat of an outstanding offset is ignored.</summary>
    public void Read(long offset)
    {
        if (_nodes.ContainsKey(offset))
        {
            return;
        }

        if (_order.Last is { } last && offset < last.Value)
        {
            throw new InvalidOperationException($"Offset {offset} read after {last.Value}: a partition's records are read in offset order.");
        }

        _nodes[offset] = _order.AddLast(offset);
    }

    /// <summary>Marks a read offset done; returns true when the commit offset moved.</summary>
    public bool Done(long offset)
    {
        if (!_nodes.ContainsKey(offset))
        {
            return false;
        }

        _done.Add(offset);
        var moved = false;
        while (_order.First is { } first && _done.Remove(first.Value))
        {
            _order.RemoveFirst();
            _nodes.Remove(first.Value);
            CommitOffset = first.Value + 1;
            moved = true;
        }

        return moved;
    }

    /// <summary>Forgets everything (the partition was handed over; the next owner starts from the committed offset).</summary>
    public void Clear()
    {
        _order.Clear();
        _nodes.Clear();
        _done.Clear();
        CommitOffset = null;
    }
}
