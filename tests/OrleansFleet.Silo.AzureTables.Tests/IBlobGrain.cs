namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>A grain whose persisted state's size the tests choose, on the host's default grain storage.</summary>
[Alias("tests.IBlobGrain")]
public interface IBlobGrain : IGrainWithStringKey
{
    /// <summary>Sets and persists the state.</summary>
    [Alias("Set")]
    Task SetAsync(string label, int payloadBytes);

    /// <summary>What this activation holds.</summary>
    [Alias("Get")]
    Task<BlobView> GetAsync();
}

/// <summary>What a <see cref="IBlobGrain"/> activation holds.</summary>
[GenerateSerializer, Immutable, Alias("tests.BlobView")]
public sealed record class BlobView([property: Id(0)] string Label, [property: Id(1)] byte[] Payload, [property: Id(2)] bool RecordExists);
