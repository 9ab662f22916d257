using Azure.Data.Tables;
using Orleans.Storage;

namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>The grain storage against Azurite, driven both directly (as Orleans calls it) and through a grain.</summary>
public sealed class GrainStorageTests(GrainStorageClusterFixture fixture) : IClassFixture<GrainStorageClusterFixture>
{
    private const string StateName = "blob";

    internal static byte[] Pattern(int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) + (i >> 8));
        }

        return bytes;
    }

    private static GrainId NewGrainId(string key = "") => GrainId.Create("blobtest", key + Guid.NewGuid().ToString("N"));

    private async Task<GrainState<BlobState>> ReadAsync(GrainId grainId, string stateName = StateName)
    {
        GrainState<BlobState> state = new();
        await fixture.Storage.ReadStateAsync(stateName, grainId, state);
        return state;
    }

    [Fact]
    public async Task Missing_state_reads_as_empty_without_record_or_etag()
    {
        GrainState<BlobState> state = await ReadAsync(NewGrainId());

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.Equal("", state.State!.Label);
    }

    [Fact]
    public async Task State_over_64KiB_round_trips_across_columns()
    {
        GrainId grainId = NewGrainId();
        GrainState<BlobState> written = new(new BlobState { Label = "big", Payload = Pattern(200_000) });

        await fixture.Storage.WriteStateAsync(StateName, grainId, written);
        GrainState<BlobState> read = await ReadAsync(grainId);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("big", read.State!.Label);
        Assert.Equal(written.State!.Payload, read.State!.Payload);

        TableEntity row = (await fixture.Table.GetEntityAsync<TableEntity>(PartitionKeyOf(grainId), StateName)).Value;
        int serialized = fixture.Serializer.Serialize(written.State).ToMemory().Length;
        int columns = (serialized + AzureTableGrainStorage.MaxColumnBytes - 1) / AzureTableGrainStorage.MaxColumnBytes;
        Assert.True(columns > 1);
        Assert.Equal(AzureTableGrainStorage.MaxColumnBytes, row.GetBinary("Data")!.Length);
        Assert.NotNull(row.GetBinary($"Data{columns - 1}"));
        Assert.False(row.ContainsKey($"Data{columns}"));
    }

    [Fact]
    public async Task State_just_under_the_limit_round_trips_and_one_byte_over_is_rejected_naming_grain_size_and_limit()
    {
        int largest = LargestPayloadThatFits();
        GrainId grainId = NewGrainId();
        GrainState<BlobState> fits = new(new BlobState { Label = "edge", Payload = Pattern(largest) });
        Assert.InRange(fixture.Serializer.Serialize(fits.State).ToMemory().Length, AzureTableGrainStorage.MaxStateBytes - 8, AzureTableGrainStorage.MaxStateBytes);

        await fixture.Storage.WriteStateAsync(StateName, grainId, fits);
        Assert.Equal(fits.State!.Payload, (await ReadAsync(grainId)).State!.Payload);

        string etagBefore = fits.ETag!;
        GrainState<BlobState> tooLarge = new(new BlobState { Label = "edge", Payload = Pattern(largest + 3) }) { ETag = etagBefore };
        int size = fixture.Serializer.Serialize(tooLarge.State).ToMemory().Length;
        GrainStateTooLargeException error = await Assert.ThrowsAsync<GrainStateTooLargeException>(
            () => fixture.Storage.WriteStateAsync(StateName, grainId, tooLarge));

        Assert.Contains(grainId.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(size.ToString("N0"), error.Message, StringComparison.Ordinal);
        Assert.Contains(AzureTableGrainStorage.MaxStateBytes.ToString("N0"), error.Message, StringComparison.Ordinal);
        Assert.Equal(size, error.Size);
        Assert.Equal(etagBefore, (await ReadAsync(grainId)).ETag);
    }

    [Fact]
    public async Task Second_writer_with_a_stale_etag_gets_InconsistentStateException()
    {
        GrainId grainId = NewGrainId();
        await fixture.Storage.WriteStateAsync(StateName, grainId, new GrainState<BlobState>(new BlobState { Label = "v1" }));
        GrainState<BlobState> first = await ReadAsync(grainId);
        GrainState<BlobState> second = await ReadAsync(grainId);

        first.State!.Label = "first";
        await fixture.Storage.WriteStateAsync(StateName, grainId, first);
        second.State!.Label = "second";
        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Storage.WriteStateAsync(StateName, grainId, second));

        Assert.Equal("first", (await ReadAsync(grainId)).State!.Label);
    }

    [Fact]
    public async Task Two_writers_inserting_the_same_new_state_let_only_one_win()
    {
        GrainId grainId = NewGrainId();
        GrainState<BlobState> first = new(new BlobState { Label = "first" });
        GrainState<BlobState> second = new(new BlobState { Label = "second" });

        await fixture.Storage.WriteStateAsync(StateName, grainId, first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Storage.WriteStateAsync(StateName, grainId, second));

        Assert.Equal("first", (await ReadAsync(grainId)).State!.Label);
    }

    [Fact]
    public async Task Clear_then_read_gives_empty_state_and_a_stale_writer_cannot_resurrect_it()
    {
        GrainId grainId = NewGrainId();
        GrainState<BlobState> state = new(new BlobState { Label = "doomed", Payload = Pattern(100) });
        await fixture.Storage.WriteStateAsync(StateName, grainId, state);
        GrainState<BlobState> stale = await ReadAsync(grainId);

        await fixture.Storage.ClearStateAsync(StateName, grainId, state);
        GrainState<BlobState> read = await ReadAsync(grainId);

        Assert.False(state.RecordExists);
        Assert.False(read.RecordExists);
        Assert.Equal("", read.State!.Label);
        Assert.Empty(read.State!.Payload);
        Assert.Equal(state.ETag, read.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Storage.WriteStateAsync(StateName, grainId, stale));
    }

    [Fact]
    public async Task Keys_with_forbidden_characters_are_stored_under_the_official_sanitized_keys()
    {
        GrainId grainId = GrainId.Create("blobtest", $"dev/a\\b#c?d-{Guid.NewGuid():N}");
        const string OddStateName = "state/x\\y#z?";
        GrainState<BlobState> state = new(new BlobState { Label = "odd" });

        await fixture.Storage.WriteStateAsync(OddStateName, grainId, state);

        string expectedPartition = PartitionKeyOf(grainId);
        Assert.DoesNotContain('/', expectedPartition);
        TableEntity row = (await fixture.Table.GetEntityAsync<TableEntity>(expectedPartition, "state_x_y_z_")).Value;
        Assert.NotNull(row.GetBinary("Data"));
        Assert.Equal("odd", (await ReadAsync(grainId, OddStateName)).State!.Label);
    }

    [Fact]
    public async Task Grain_state_survives_deactivation_and_is_read_back_by_a_new_activation()
    {
        IBlobGrain grain = fixture.Cluster.Client.GetGrain<IBlobGrain>($"device-{Guid.NewGuid():N}");
        await grain.SetAsync("persisted", 150_000);
        BlobView before = await grain.GetAsync();

        await fixture.Cluster.DeactivateAsync(grain);
        BlobView after = await Poll.UntilAsync(
            async () => await grain.GetAsync() is { } view && view.ActivationId != before.ActivationId ? view : null,
            TimeSpan.FromSeconds(30),
            "a new activation of the grain");

        Assert.True(after.RecordExists);
        Assert.Equal("persisted", after.Label);
        Assert.Equal(Pattern(150_000), after.Payload);
    }

    // Written out here rather than calling the provider's helper, so the test pins the official layout independently.
    private string PartitionKeyOf(GrainId grainId) =>
        $"{fixture.ServiceId}_{grainId}".Replace('/', '_').Replace('\\', '_').Replace('#', '_').Replace('?', '_');

    private int LargestPayloadThatFits()
    {
        int low = 0;
        int high = AzureTableGrainStorage.MaxStateBytes;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            int size = fixture.Serializer.Serialize(new BlobState { Label = "edge", Payload = new byte[middle] }).ToMemory().Length;
            if (size <= AzureTableGrainStorage.MaxStateBytes)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }
}
