namespace OrleansFleet.Persistence.AzureTables;

/// <summary>Settings of <see cref="AzureTableDeviceSummaryStore"/> and of the resilience pipeline around its writes.</summary>
public sealed class AzureTableDeviceSummaryStoreOptions : AzureTableConnectionOptions
{
    /// <summary>The configuration section these options usually bind to.</summary>
    public const string SectionName = "Fleet:DeviceSummaries";

    /// <summary>The table used unless configured otherwise.</summary>
    public const string DefaultTableName = "FleetDeviceSummaries";

    /// <inheritdoc/>
    public override string TableName { get; set; } = DefaultTableName;

    /// <summary>Longest one transaction attempt may take before it is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a transaction after a transient failure (5xx, 408, 429, network, timeout).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base delay of the exponential, jittered backoff between retries.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Most entity-group transactions in flight to the table at once, across all shards of this silo.</summary>
    /// <remarks>A shard's write of many changed rows is many transactions of 100; they commit in parallel up to this.</remarks>
    public int MaxConcurrentTransactions { get; set; } = 16;
}
