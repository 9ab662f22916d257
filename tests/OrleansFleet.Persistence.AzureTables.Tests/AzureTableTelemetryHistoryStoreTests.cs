using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>The Azure Tables history against Azurite: the shared contract plus its rows, transactions and counters.</summary>
public sealed class AzureTableTelemetryHistoryStoreTests : TelemetryHistoryContract, IDisposable
{
    private static readonly string s_tableName = TestTables.UniqueTableName("History");
    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new();

    public AzureTableTelemetryHistoryStoreTests()
    {
        ServiceCollection services = new();
        services.AddAzureTableTelemetryHistoryStore(options =>
        {
            options.ConnectionString = TestTables.ConnectionString;
            options.TableName = s_tableName;
        });
        _services = services.BuildServiceProvider();
        IMeterFactory factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == TelemetryStoreMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _counters.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        _listener.Start();
    }

    protected override ITelemetryHistoryStore Store => _services.GetRequiredService<ITelemetryHistoryStore>();

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task Rows_are_one_per_device_and_seq_in_the_device_partition_and_batched_per_100()
    {
        string a = NewDevice();
        string b = NewDevice();
        TelemetryEvent[] readings = [.. Enumerable.Range(1, 250).Select(i => Reading(a, i, i)), .. Enumerable.Range(1, 100).Select(i => Reading(b, i, i))];

        await Store.WriteAsync(readings, CancellationToken.None);
        await Store.WriteAsync(readings, CancellationToken.None);

        TableClient table = new(TestTables.ConnectionString, s_tableName);
        List<TableEntity> rows = [];
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {a}")))
        {
            rows.Add(row);
        }

        Assert.Equal(250, rows.Count);
        Assert.Equal(250, rows.Select(r => r.GetInt64("Seq")).Distinct().Count());
        Assert.Equal(rows.Select(r => r.RowKey).Order(StringComparer.Ordinal), rows.Select(r => r.RowKey));
        Assert.Equal(2 * (3 + 1), _counters.GetValueOrDefault("fleet.telemetry_store.writes"));
        Assert.Equal(2 * 350, _counters.GetValueOrDefault("fleet.telemetry_store.rows"));
    }

    [Fact]
    public void Missing_connection_settings_fail_validation_naming_them()
    {
        ServiceCollection services = new();
        services.AddAzureTableTelemetryHistoryStore((AzureTableTelemetryStoreOptions _) => { });
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptions<AzureTableTelemetryStoreOptions>>().Value);

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("TableServiceUri", error.Message, StringComparison.Ordinal);
    }
}
