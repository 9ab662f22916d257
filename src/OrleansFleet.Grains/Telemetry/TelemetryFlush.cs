using System.Buffers;

namespace OrleansFleet.Grains.Telemetry;

/// <summary>
/// One batch of the telemetry writer: the readings of every caller that joined it, in a buffer rented from
/// <see cref="ArrayPool{T}"/> (a flush every 50 ms would otherwise allocate and drop a 500-slot array each time), and
/// the one task all those callers wait on.
/// </summary>
internal sealed class TelemetryFlush : IDisposable
{
    // Continuations run asynchronously so completing a flush never runs callers' code inline on the writer's turn.
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TelemetryEvent[] _buffer;
    private int _count;

    public TelemetryFlush(int capacity) => _buffer = ArrayPool<TelemetryEvent>.Shared.Rent(capacity);

    /// <summary>Readings in the batch.</summary>
    public int Count => _count;

    /// <summary>Completes when the batch is durable; fails when its write failed.</summary>
    public Task Completion => _done.Task;

    /// <summary>The readings, as a view over the pooled buffer: valid until <see cref="Dispose"/>.</summary>
    public ArraySegment<TelemetryEvent> Readings => new(_buffer, 0, _count);

    public void Add(IReadOnlyList<TelemetryEvent> readings)
    {
        if (_count + readings.Count > _buffer.Length)
        {
            TelemetryEvent[] larger = ArrayPool<TelemetryEvent>.Shared.Rent(Math.Max(_buffer.Length * 2, _count + readings.Count));
            Array.Copy(_buffer, larger, _count);
            ArrayPool<TelemetryEvent>.Shared.Return(_buffer, clearArray: true);
            _buffer = larger;
        }

        for (int i = 0; i < readings.Count; i++)
        {
            _buffer[_count++] = readings[i];
        }
    }

    public void Complete(Exception? failure)
    {
        if (failure is null)
        {
            _done.TrySetResult();
        }
        else
        {
            _done.TrySetException(failure);
        }
    }

    /// <summary>Returns the buffer, cleared so the pool holds no references to readings.</summary>
    public void Dispose()
    {
        ArrayPool<TelemetryEvent>.Shared.Return(_buffer, clearArray: true);
        _buffer = [];
        _count = 0;
    }
}
