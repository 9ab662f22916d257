namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>A grain with a persisted <see cref="BlobState"/> on the Azure Table grain storage.</summary>
[Alias("tests.IBlobGrain")]
public interface IBlobGrain : IGrainWithStringKey
{
    /// <summary>Sets and persists the state.</summary>
    [Alias("Set")]
    Task SetAsync(string label, int payloadBytes);

    /// <summary>What this activation holds, and which activation it is.</summary>
    [Alias("Get")]
    Task<BlobView> GetAsync();
}

/// <summary>What a <see cref="IBlobGrain"/> activation holds.</summary>
[GenerateSerializer, Immutable, Alias("tests.BlobView")]
public sealed record class BlobView([property: Id(0)] string Label, [property: Id(1)] byte[] Payload, [property: Id(2)] Guid ActivationId, [property: Id(3)] bool RecordExists);
