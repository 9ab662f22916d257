namespace OrleansFleet.Persistence.AzureTables;

/// <summary>Settings of <see cref="AzureTableDeviceSummaryStore"/> and of the resilience pipeline around its writes.</summary>
public sealed class AzureTableDeviceSummaryStoreOptions : AzureTableWriteOptions
{
    /// <summary>The configuration section these options usually bind to.</summary>
    public const string SectionName = "Fleet:DeviceSummaries";

    /// <summary>The table used unless configured otherwise.</summary>
    public const string DefaultTableName = "FleetDeviceSummaries";

    /// <inheritdoc/>
    public override string TableName { get; set; } = DefaultTableName;
}
