using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>
/// Grain state through the host's wiring in the local-cluster mode: Orleans' own Azure Table grain storage
/// (<c>Microsoft.Orleans.Persistence.AzureStorage</c>) on Azurite, with Orleans' binary grain-state serializer.
/// </summary>
public sealed class GrainStateTests : IAsyncLifetime
{
    // The previous release's default ServiceId: it prefixes every row it wrote, and the host's default must keep it.
    private const string PreviousServiceId = "orleansfleet";
    private const int ColumnBytes = 64 * 1024;

    private readonly string _table = SharedAzurite.UniqueTableName("GrainState");

    public Task InitializeAsync() => SharedAzurite.Table(_table).CreateIfNotExistsAsync();

    public Task DisposeAsync() => SharedAzurite.Table(_table).DeleteAsync();

    [Fact]
    public async Task State_is_stored_binary_over_several_columns_by_the_official_provider_and_read_back_by_another_host()
    {
        string key = $"blob-{Guid.NewGuid():N}";
        GrainId grainId;
        await using (TablesHostFactory writer = Host())
        {
            IBlobGrain grain = writer.Services.GetRequiredService<IGrainFactory>().GetGrain<IBlobGrain>(key);
            await grain.SetAsync("persisted", 150_000);
            grainId = grain.GetGrainId();

            // Orleans' binary serializer, as the host has always configured it, not the provider's JSON default.
            IGrainStorageSerializer serializer = writer.Services.GetRequiredService<IGrainStorageSerializer>();
            Assert.IsType<OrleansGrainStorageSerializer>(serializer);
            TableEntity row = (await SharedAzurite.Table(_table).GetEntityAsync<TableEntity>(PartitionKey(grainId), BlobGrain.StateName)).Value;
            Assert.Equal(ColumnBytes, row.GetBinary("Data")!.Length);
            Assert.NotNull(row.GetBinary("Data2"));
            Assert.False(row.ContainsKey("Data3"));
            Assert.False(row.ContainsKey("StringData"));
            BlobState stored = serializer.Deserialize<BlobState>(new BinaryData(Concatenate(row)))!;
            Assert.Equal("persisted", stored.Label);
        }

        await using TablesHostFactory reader = Host();
        BlobView view = await reader.Services.GetRequiredService<IGrainFactory>().GetGrain<IBlobGrain>(key).GetAsync();
        Assert.True(view.RecordExists);
        Assert.Equal("persisted", view.Label);
        Assert.Equal(BlobState.Pattern(150_000), view.Payload);
    }

    [Fact]
    public async Task State_in_the_row_layout_of_the_previous_release_is_read_and_then_updated_by_the_official_provider()
    {
        await using TablesHostFactory host = Host();
        IGrainFactory grains = host.Services.GetRequiredService<IGrainFactory>();
        IGrainStorageSerializer serializer = host.Services.GetRequiredService<IGrainStorageSerializer>();
        // A key with every character Azure forbids in keys, which the old provider replaced with '_'.
        IBlobGrain grain = grains.GetGrain<IBlobGrain>($"legacy/a\\b#c?d-{Guid.NewGuid():N}");
        BlobState legacy = new() { Label = "written by the previous release", Payload = BlobState.Pattern(100_000) };

        // Exactly what the previous release's AzureTableGrainStorage did on a first write: one entity, PartitionKey
        // "{ServiceId}_{GrainId}" and RowKey the state name with / \ # ? replaced by '_', the serialized state cut into
        // 64 KiB binary columns Data, Data1 … Data14, inserted with AddEntity.
        byte[] bytes = serializer.Serialize(legacy).ToArray();
        string partitionKey = Sanitize($"{PreviousServiceId}_{grain.GetGrainId()}");
        TableEntity entity = new(partitionKey, Sanitize(BlobGrain.StateName));
        for (int offset = 0, column = 0; offset < bytes.Length; offset += ColumnBytes, column++)
        {
            entity[column == 0 ? "Data" : $"Data{column}"] = bytes.AsSpan(offset, Math.Min(ColumnBytes, bytes.Length - offset)).ToArray();
        }

        Assert.True(entity.ContainsKey("Data1"));
        await SharedAzurite.Table(_table).AddEntityAsync(entity);

        BlobView read = await grain.GetAsync();
        Assert.True(read.RecordExists);
        Assert.Equal(legacy.Label, read.Label);
        Assert.Equal(legacy.Payload, read.Payload);

        // The old row's ETag carries over: the next write replaces that row rather than conflicting with it.
        await grain.SetAsync("updated", 10);
        TableEntity updated = (await SharedAzurite.Table(_table).GetEntityAsync<TableEntity>(partitionKey, BlobGrain.StateName)).Value;
        Assert.Equal("updated", serializer.Deserialize<BlobState>(new BinaryData(Concatenate(updated)))!.Label);
    }

    private TablesHostFactory Host() =>
        TablesHostFactory.LocalCluster(SharedAzurite.ConnectionString, $"state-{Guid.NewGuid():N}", new Dictionary<string, string?>
        {
            ["Orleans:GrainStorage:Default:TableName"] = _table,
        });

    // Written out here rather than taken from a provider, so the tests pin the layout independently of either.
    private static string Sanitize(string key) => key.Replace('/', '_').Replace('\\', '_').Replace('#', '_').Replace('?', '_');

    private static string PartitionKey(GrainId grainId) => Sanitize($"{PreviousServiceId}_{grainId}");

    private static byte[] Concatenate(TableEntity row) =>
        [.. Enumerable.Range(0, 15).Select(i => row.GetBinary(i == 0 ? "Data" : $"Data{i}")).TakeWhile(c => c is not null).SelectMany(c => c!)];
}
