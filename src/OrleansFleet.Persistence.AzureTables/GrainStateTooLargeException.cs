namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// A grain's serialized state does not fit in one Azure table entity. Thrown before anything is written, so the stored
/// state stays as it was. Serializable by Orleans so the grain's caller sees it too.
/// </summary>
[GenerateSerializer, Alias("fleet.GrainStateTooLargeException")]
public sealed class GrainStateTooLargeException : OrleansException
{
    /// <summary>Creates the exception for <paramref name="grainId"/>'s state of <paramref name="size"/> bytes.</summary>
    /// <param name="grainId">The grain whose state was written.</param>
    /// <param name="stateName">The state's name (the row key).</param>
    /// <param name="size">The serialized size, in bytes.</param>
    /// <param name="limit">The largest size the provider stores, in bytes.</param>
    public GrainStateTooLargeException(string grainId, string stateName, int size, int limit)
        : base($"The state '{stateName}' of grain {grainId} is {size:N0} bytes serialized, over the Azure Table grain storage limit of {limit:N0} bytes (15 columns of 64 KiB in one entity). Keep large data out of grain state.")
    {
        GrainId = grainId;
        Size = size;
        Limit = limit;
    }

    /// <summary>The grain whose state was written.</summary>
    [Id(0)]
    public string GrainId { get; }

    /// <summary>The serialized size, in bytes.</summary>
    [Id(1)]
    public int Size { get; }

    /// <summary>The largest size the provider stores, in bytes.</summary>
    [Id(2)]
    public int Limit { get; }
}
