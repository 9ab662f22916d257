using System.Collections.Concurrent;
using Orleans.Storage;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>Counts writes per grain on the way to a real storage provider, so tests can see how often state is written.</summary>
internal sealed class CountingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, int> _writes = new();
    private readonly ConcurrentDictionary<(GrainId, string), int> _stateWrites = new();

    /// <summary>Writes of any state of the grain.</summary>
    public int WritesOf(GrainId grainId) => _writes.GetValueOrDefault(grainId);

    /// <summary>Writes of one named state of the grain.</summary>
    public int WritesOf(GrainId grainId, string stateName) => _stateWrites.GetValueOrDefault((grainId, stateName));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _writes.AddOrUpdate(grainId, 1, (_, n) => n + 1);
        _stateWrites.AddOrUpdate((grainId, stateName), 1, (_, n) => n + 1);
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}
