namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>A grain state whose size the tests choose.</summary>
[GenerateSerializer, Alias("tests.BlobState")]
public sealed class BlobState
{
    [Id(0)]
    public string Label { get; set; } = "";

    [Id(1)]
    public byte[] Payload { get; set; } = [];

    /// <summary>A payload whose bytes differ from position to position, so a chunk put back in the wrong order shows.</summary>
    public static byte[] Pattern(int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) + (i >> 8));
        }

        return bytes;
    }
}
