using System.Diagnostics;

namespace OrleansFleet.Bench.Measurement;

/// <summary>
/// Samples a process's working set while a run is going. The OS keeps only a lifetime peak, which would carry one
/// variant's peak into the next in a shared process; sampling gives each run its own.
/// </summary>
public sealed class WorkingSetSampler : IAsyncDisposable
{
    private readonly Process _process;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;
    private int _disposed;

    /// <summary>Starts sampling <paramref name="process"/> every 50 ms.</summary>
    public WorkingSetSampler(Process process)
    {
        _process = process;
        Sample();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The highest working set seen, in bytes.</summary>
    public long Peak => Interlocked.Read(ref _peak);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Idempotent: the runner stops sampling before verification and disposes again on the way out.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        Sample();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(50, _stop.Token);
            Sample();
        }
    }

    private void Sample()
    {
        try
        {
            _process.Refresh();
            var ws = _process.WorkingSet64;
            if (ws > Interlocked.Read(ref _peak))
            {
                Interlocked.Exchange(ref _peak, ws);
            }
        }
        catch (InvalidOperationException)
        {
            // The process has exited; keep the last peak.
        }
    }
}
