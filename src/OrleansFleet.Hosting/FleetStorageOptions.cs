using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;
using Azure.Identity;
using OrleansFleet.Persistence.AzureTables;

namespace OrleansFleet.Hosting;

/// <summary>
/// The storage account (configuration section <c>Fleet:Storage</c>, connection string <c>ConnectionStrings:Tables</c>)
/// and where the telemetry history lives.
/// </summary>
public sealed class FleetStorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:Storage";

    /// <summary>The name under <c>ConnectionStrings</c> of the storage account's connection string.</summary>
    public const string ConnectionStringName = "Tables";

    /// <summary>
    /// The key of the <see cref="TableServiceClient"/> the host registers for this account. Orleans' Azure providers
    /// take it through <c>Orleans:{Clustering|Reminders|GrainStorage:name}:ServiceKey</c>, the one way their
    /// configuration binding accepts a client with a token credential (managed identity).
    /// </summary>
    public const string TableServiceKey = "tables";

    /// <summary>Where the telemetry history lives; the run mode sets it (<see cref="FleetModeDefaults"/>).</summary>
    public FleetStorageProvider Provider { get; set; } = FleetStorageProvider.Memory;

    /// <summary>
    /// The account's table endpoint (<c>https://{account}.table.core.windows.net/</c>), reached with
    /// <c>DefaultAzureCredential</c> (in Azure the managed identity; a user-assigned one is chosen by <c>AZURE_CLIENT_ID</c>).
    /// The alternative to <c>ConnectionStrings:Tables</c>.
    /// </summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>The connection string, filled from <c>ConnectionStrings:Tables</c> (Azurite, development).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Readings per device the in-memory history keeps (memory provider only); the oldest go first.</summary>
    [Range(1, 1_000_000)]
    public int MemoryHistoryPerDevice { get; set; } = MemoryTelemetryHistoryStore.DefaultCapacityPerDevice;

    /// <summary>The client Orleans' providers use (registered under <see cref="TableServiceKey"/>).</summary>
    /// <returns>A client on the configured account.</returns>
    internal TableServiceClient CreateTableServiceClient() =>
        !string.IsNullOrWhiteSpace(ConnectionString)
            ? new TableServiceClient(ConnectionString)
            : new TableServiceClient(
                TableEndpoint ?? throw new InvalidOperationException("Neither ConnectionStrings:Tables nor Fleet:Storage:TableEndpoint is set."),
                new DefaultAzureCredential());

    /// <summary>Gives the telemetry history this account, unless it was configured with one of its own.</summary>
    /// <param name="target">The history store settings.</param>
    internal void ApplyTo(AzureTableConnectionOptions target)
    {
        if (string.IsNullOrWhiteSpace(target.ConnectionString) && target.TableServiceUri is null)
        {
            target.ConnectionString = string.IsNullOrWhiteSpace(ConnectionString) ? null : ConnectionString;
            target.TableServiceUri = TableEndpoint;
        }
    }
}
