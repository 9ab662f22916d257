using Orleans.Storage;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>A storage provider whose writes wait while the gate is closed, so a test can hold device checkpoints back.</summary>
internal sealed class GatedGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private volatile TaskCompletionSource _open = Opened();
    private int _waiting;

    /// <summary>Writes waiting at the closed gate now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Makes every write wait until <see cref="Open"/>.</summary>
    public void Close() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets waiting and later writes through.</summary>
    public void Open() => _open.TrySetResult();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var open = _open.Task;
        if (!open.IsCompleted)
        {
            Interlocked.Increment(ref _waiting);
            await open;
            Interlocked.Decrement(ref _waiting);
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
