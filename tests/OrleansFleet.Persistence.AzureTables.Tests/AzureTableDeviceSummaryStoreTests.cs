using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>The Azure Tables rows of the fleet read model against Azurite: the shared contract plus the table layout.</summary>
public sealed class AzureTableDeviceSummaryStoreTests : DeviceSummaryStoreContract, IDisposable
{
    private static readonly string s_tableName = TestTables.UniqueTableName("Summaries");
    private readonly ServiceProvider _services;

    public AzureTableDeviceSummaryStoreTests()
    {
        ServiceCollection services = new();
        services.AddAzureTableDeviceSummaryStore(options =>
        {
            options.ConnectionString = TestTables.ConnectionString;
            options.TableName = s_tableName;
        });
        _services = services.BuildServiceProvider();
    }

    protected override IDeviceSummaryStore Store => _services.GetRequiredService<IDeviceSummaryStore>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_shard_is_one_partition_with_a_row_per_device()
    {
        int shard = NewShard();
        await Store.UpsertAsync(shard, [.. Enumerable.Range(0, 120).Select(i => Summary($"dev-{i}", 1))], CancellationToken.None);

        TableClient table = new(TestTables.ConnectionString, s_tableName);
        List<TableEntity> rows = [];
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {AzureTableDeviceSummaryStore.PartitionKeyOf(shard)}")))
        {
            rows.Add(row);
        }

        Assert.Equal(120, rows.Count);
        Assert.Equal(Enumerable.Range(0, 120).Select(i => $"dev-{i}").Order(StringComparer.Ordinal), rows.Select(r => r.RowKey));
        Assert.All(rows, r => Assert.Equal(1, r.GetInt64("Version")));
    }

    [Fact]
    public void Missing_connection_settings_fail_validation_naming_them()
    {
        ServiceCollection services = new();
        services.AddAzureTableDeviceSummaryStore((AzureTableDeviceSummaryStoreOptions _) => { });
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptions<AzureTableDeviceSummaryStoreOptions>>().Value);

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains(AzureTableDeviceSummaryStoreOptions.SectionName, error.Message, StringComparison.Ordinal);
    }
}
