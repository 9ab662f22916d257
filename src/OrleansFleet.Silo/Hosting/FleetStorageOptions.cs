using System.ComponentModel.DataAnnotations;
using OrleansFleet.Persistence.AzureTables;

namespace OrleansFleet.Silo.Hosting;

/// <summary>Where the silo keeps grain state and the telemetry history (configuration section <c>Fleet:Storage</c>).</summary>
public sealed class FleetStorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:Storage";

    /// <summary>The name under <c>ConnectionStrings</c> of the storage account's connection string.</summary>
    public const string ConnectionStringName = "Tables";

    /// <summary>The storage provider; <see cref="FleetStorageProvider.Memory"/> unless configured.</summary>
    public FleetStorageProvider Provider { get; set; } = FleetStorageProvider.Memory;

    /// <summary>
    /// The account's table endpoint (<c>https://{account}.table.core.windows.net/</c>), reached with
    /// <c>DefaultAzureCredential</c> (the managed identity in Azure). The alternative to <c>ConnectionStrings:Tables</c>.
    /// </summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>The connection string, filled from <c>ConnectionStrings:Tables</c> (Azurite, development).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Readings per device the in-memory history keeps (memory provider only); the oldest go first.</summary>
    [Range(1, 1_000_000)]
    public int MemoryHistoryPerDevice { get; set; } = MemoryTelemetryHistoryStore.DefaultCapacityPerDevice;

    /// <summary>Gives an Azure Tables component this account, unless it was configured with one of its own.</summary>
    /// <param name="target">The grain storage or history store settings.</param>
    internal void ApplyTo(AzureTableConnectionOptions target)
    {
        if (string.IsNullOrWhiteSpace(target.ConnectionString) && target.TableServiceUri is null)
        {
            target.ConnectionString = string.IsNullOrWhiteSpace(ConnectionString) ? null : ConnectionString;
            target.TableServiceUri = TableEndpoint;
        }
    }
}
