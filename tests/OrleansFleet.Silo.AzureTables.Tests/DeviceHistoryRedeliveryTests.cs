using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansFleet.Grains.Telemetry;
using OrleansFleet.Persistence.AzureTables;

namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>
/// Device grains writing their history to Azure Tables (the test script's Azurite): a batch whose readings reached the
/// history but whose state write failed is delivered again, and the history still holds each reading once.
/// </summary>
public sealed class DeviceHistoryRedeliveryTests : IAsyncLifetime
{
    private const string InnerStorage = "inner";
    private readonly string _table = "Redelivery" + Guid.NewGuid().ToString("N")[..16];
    private InProcessTestCluster _cluster = null!;

    private static string ConnectionString => SharedAzurite.ConnectionString;

    public async Task InitializeAsync()
    {
        string connectionString = ConnectionString;
        string table = _table;
        InProcessTestClusterBuilder builder = new(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(InnerStorage);
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
                (services, _) => new FailNextWriteGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(InnerStorage)));
            silo.UseInMemoryReminderService();
            silo.Services.AddTelemetryWriter();
            silo.Services.AddSingleton<IDeviceSummaryStore, MemoryDeviceSummaryStore>();
            silo.Services.AddAzureTableTelemetryHistoryStore(options =>
            {
                options.ConnectionString = connectionString;
                options.TableName = table;
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await new TableClient(ConnectionString, _table).DeleteAsync();
    }

    [Fact]
    public async Task A_batch_redelivered_after_a_lost_state_write_is_in_the_history_once()
    {
        string id = $"redelivered-{Guid.NewGuid():N}";
        IDeviceGrain device = _cluster.Client.GetGrain<IDeviceGrain>(id);
        DateTimeOffset t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        TelemetryBatch batch = new([.. Enumerable.Range(1, 150).Select(seq =>
            new TelemetryEvent(id, seq, t0.AddSeconds(seq), new Dictionary<string, double> { ["temperature"] = 20 + (seq % 7) }))]);
        FailNextWriteGrainStorage storage = (FailNextWriteGrainStorage)_cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

        // Every row of the device's partition, straight from the table.
        TableClient table = new(ConnectionString, _table);
        async Task<List<long>> RowsAsync()
        {
            List<long> rows = [];
            await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == id))
            {
                rows.Add(row.GetInt64("Seq")!.Value);
            }

            return [.. rows.Order()];
        }

        // The history is written, then the state write fails: the caller is not told "done", so the batch comes again.
        storage.FailNextWrite(device.GetGrainId());
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => device.ApplyAsync(batch));
        Assert.Contains("The state write was lost (test).", failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, 150).Select(s => (long)s), await RowsAsync());

        await device.ApplyAsync(batch);
        // A third delivery after success is dropped by seq and writes nothing.
        await device.ApplyAsync(batch);

        DeviceView view = (await device.GetViewAsync())!;
        Assert.Equal(new DeviceCounters(150, 150, 0), view.Counters);

        // The rows the failed delivery wrote were overwritten, not added to, and the store's paged query agrees.
        Assert.Equal(Enumerable.Range(1, 150).Select(s => (long)s), await RowsAsync());
        ITelemetryHistoryStore history = _cluster.GetSiloServiceProvider().GetRequiredService<ITelemetryHistoryStore>();
        TelemetryPage page = await history.QueryAsync(id, null, null, TelemetryHistoryKeys.MaxPageSize, null, CancellationToken.None);
        Assert.Equal(150, page.Items.Select(r => r.Seq).Distinct().Count());
        Assert.Equal(150, page.Items.Count);
    }
}
