using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// Grain storage that lives outside every silo of an in-process cluster, so state outlives a killed silo as it does in
/// a real store. Orleans' memory storage keeps state in grains, which die with their silo. Copies go in and out, so a
/// dead activation's unsaved changes never leak into what a new activation reads.
/// </summary>
internal sealed class SharedGrainStorage(ConcurrentDictionary<(string State, GrainId Grain), (object Value, string ETag)> rows, DeepCopier copier) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (rows.TryGetValue((stateName, grainId), out var row))
        {
            grainState.State = copier.Copy((T)row.Value);
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = Guid.NewGuid().ToString("N");
        rows[(stateName, grainId)] = (copier.Copy(grainState.State)!, etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        rows.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
