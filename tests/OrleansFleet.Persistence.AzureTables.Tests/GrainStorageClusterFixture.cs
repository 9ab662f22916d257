using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>One in-process Orleans cluster whose silo has the Azure Table grain storage on a table of its own.</summary>
public sealed class GrainStorageClusterFixture : IAsyncLifetime
{
    public const string StorageName = "tables";

    public string TableName { get; } = TestTables.UniqueTableName("Grains");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainStorage Storage => Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageName);

    public IGrainStorageSerializer Serializer => Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();

    public string ServiceId => Cluster.Options.ServiceId;

    public TableClient Table => new(TestTables.ConnectionString, TableName);

    public async Task InitializeAsync()
    {
        string connectionString = TestTables.ConnectionString;
        string tableName = TableName;
        InProcessTestClusterBuilder builder = new(1);
        builder.ConfigureSilo((_, silo) => silo.AddAzureTableGrainStorage(StorageName, options =>
        {
            options.ConnectionString = connectionString;
            options.TableName = tableName;
        }));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Table.DeleteAsync();
    }
}
