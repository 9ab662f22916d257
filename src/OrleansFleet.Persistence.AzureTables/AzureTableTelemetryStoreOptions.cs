namespace OrleansFleet.Persistence.AzureTables;

/// <summary>Settings of <see cref="AzureTableTelemetryHistoryStore"/> and of the resilience pipeline around its writes.</summary>
public sealed class AzureTableTelemetryStoreOptions : AzureTableWriteOptions
{
    /// <summary>The configuration section these options usually bind to.</summary>
    public const string SectionName = "Fleet:TelemetryHistory";

    /// <summary>The table used unless configured otherwise.</summary>
    public const string DefaultTableName = "FleetTelemetry";

    /// <inheritdoc/>
    public override string TableName { get; set; } = DefaultTableName;

    /// <summary>Share of failed attempts within <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Fewest attempts within <see cref="BreakerSamplingDuration"/> before the ratio counts (at least 2).</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which the failure ratio is measured (at least 0.5 s).</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open (every write failing fast) before one trial write is let through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most transactions waiting for a slot; beyond it writes are refused at once as overload.</summary>
    /// <remarks>One flush can carry readings of thousands of devices, one transaction each: the queue must hold a whole
    /// burst of them (the storage benchmark refused half a 2,000-device burst at 1,024), while still bounding memory.</remarks>
    public int MaxQueuedTransactions { get; set; } = 16_384;
}
