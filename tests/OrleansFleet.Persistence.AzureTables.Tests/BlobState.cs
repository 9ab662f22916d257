namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>A grain state whose size the tests choose.</summary>
[GenerateSerializer, Alias("tests.BlobState")]
public sealed class BlobState
{
    [Id(0)]
    public string Label { get; set; } = "";

    [Id(1)]
    public byte[] Payload { get; set; } = [];
}
