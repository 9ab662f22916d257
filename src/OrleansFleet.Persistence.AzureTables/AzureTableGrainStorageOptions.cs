using Orleans.Storage;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>Settings of one <see cref="AzureTableGrainStorage"/> provider (options are named after the provider).</summary>
public sealed class AzureTableGrainStorageOptions : AzureTableConnectionOptions, IStorageProviderSerializerOptions
{
    /// <summary>The table of Orleans' official Azure table provider, so existing grain state carries over.</summary>
    public const string DefaultTableName = "OrleansGrainState";

    /// <inheritdoc/>
    public override string TableName { get; set; } = DefaultTableName;

    /// <summary>
    /// Whether <c>ClearStateAsync</c> deletes the row (<c>true</c>) or keeps it with its data columns emptied
    /// (<c>false</c>, the official provider's default, which keeps the ETag chain and so guards against a stale writer
    /// recreating the state).
    /// </summary>
    public bool DeleteStateOnClear { get; set; }

    /// <summary>The silo lifecycle stage at which the table is created; storage must be ready before grains activate.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>
    /// The serializer of the state. Left <c>null</c>, it becomes the provider's keyed <see cref="IGrainStorageSerializer"/>
    /// or the silo's default one, as for Orleans' own providers.
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
