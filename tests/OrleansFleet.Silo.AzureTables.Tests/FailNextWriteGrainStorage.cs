using System.Collections.Concurrent;
using Orleans.Storage;

namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>Grain storage that fails the next state write of chosen grains: a crash between history and state write.</summary>
internal sealed class FailNextWriteGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, bool> _failNext = new();

    public void FailNextWrite(GrainId grainId) => _failNext[grainId] = true;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _failNext.TryRemove(grainId, out _)
            ? Task.FromException(new IOException("The state write was lost (test)."))
            : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}
