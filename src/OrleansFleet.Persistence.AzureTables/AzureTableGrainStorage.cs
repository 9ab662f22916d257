using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// Orleans grain storage on Azure Table Storage, with the row layout of Orleans' official <c>AzureTableGrainStorage</c>
/// so state written by either is read by the other.
/// </summary>
/// <remarks>
/// <para>
/// One row per grain and state: PartitionKey <c>{ServiceId}_{GrainId}</c>, RowKey the state name Orleans passes as
/// <c>stateName</c> (the <c>[PersistentState]</c> name), both with <c>/ \ # ?</c> replaced by <c>_</c>. The serialized
/// state is split over the binary columns <c>Data</c>, <c>Data1</c> … <c>Data14</c>: a property holds at most 64 KiB and an
/// entity at most 1 MiB, so 15 columns (960 KiB) leave room for the keys and system columns.
/// </para>
/// <para>
/// Concurrency is optimistic, through the ETag Azure gives each row version: the first write is an insert (which
/// fails if another activation created the row), later writes replace the row only if its ETag is still the one read.
/// A lost race (409, 412, or 404 when the row vanished) becomes Orleans' <see cref="InconsistentStateException"/>,
/// which makes Orleans deactivate the grain so the next call reloads the current state.
/// </para>
/// </remarks>
public sealed partial class AzureTableGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The largest binary property Azure Tables accepts.</summary>
    public const int MaxColumnBytes = 64 * 1024;

    /// <summary>How many data columns a state may span (<c>Data</c>, <c>Data1</c> … <c>Data14</c>).</summary>
    public const int MaxColumns = 15;

    /// <summary>The largest serialized state this provider stores.</summary>
    public const int MaxStateBytes = MaxColumnBytes * MaxColumns;

    private const string DataColumn = "Data";
    private static readonly string[] s_dataColumns = [DataColumn, .. Enumerable.Range(1, MaxColumns - 1).Select(static i => DataColumn + i)];

    private readonly string _name;
    private readonly AzureTableGrainStorageOptions _options;
    private readonly string _serviceId;
    private readonly IActivatorProvider _activators;
    private readonly ILogger _logger;
    private readonly TableClient _table;

    /// <summary>Creates the provider named <paramref name="name"/>; the table is created when the silo starts.</summary>
    /// <param name="name">The provider name grains use in <c>[PersistentState(storageName: ...)]</c>.</param>
    /// <param name="options">The provider's settings.</param>
    /// <param name="clusterOptions">The cluster's identity; its ServiceId prefixes every partition key.</param>
    /// <param name="activators">Creates the empty state of a grain that has none stored.</param>
    /// <param name="logger">The logger.</param>
    public AzureTableGrainStorage(
        string name,
        AzureTableGrainStorageOptions options,
        IOptions<ClusterOptions> clusterOptions,
        IActivatorProvider activators,
        ILogger<AzureTableGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        _name = name;
        _options = options;
        _serviceId = clusterOptions.Value.ServiceId;
        _activators = activators;
        _logger = logger;
        _table = options.CreateTableClient(new TableClientOptions());
    }

    /// <inheritdoc/>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        NullableResponse<TableEntity> response = await _table.GetEntityIfExistsAsync<TableEntity>(PartitionKey(grainId), RowKey(stateName));
        if (!response.HasValue || response.Value is null)
        {
            grainState.State = CreateEmpty<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        TableEntity entity = response.Value;
        byte[] data = ReadData(entity);
        T? state = data.Length == 0 ? default : Deserialize<T>(data, stateName, grainId);

        // A cleared row (DeleteStateOnClear = false) exists without data: it keeps its ETag but holds no state.
        grainState.State = state ?? CreateEmpty<T>();
        grainState.ETag = entity.ETag.ToString();
        grainState.RecordExists = state is not null;
    }

    /// <inheritdoc/>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        BinaryData data = _options.GrainStorageSerializer.Serialize(grainState.State);
        ReadOnlyMemory<byte> bytes = data.ToMemory();
        if (bytes.Length > MaxStateBytes)
        {
            throw new GrainStateTooLargeException(grainId.ToString(), stateName, bytes.Length, MaxStateBytes);
        }

        TableEntity entity = new(PartitionKey(grainId), RowKey(stateName));
        for (int offset = 0, column = 0; offset < bytes.Length; offset += MaxColumnBytes, column++)
        {
            entity[s_dataColumns[column]] = bytes.Slice(offset, Math.Min(MaxColumnBytes, bytes.Length - offset)).ToArray();
        }

        grainState.ETag = await GuardedWriteAsync(entity, grainState.ETag, stateName, grainId);
        grainState.RecordExists = true;
    }

    /// <inheritdoc/>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (_options.DeleteStateOnClear)
        {
            if (grainState.ETag is not null)
            {
                try
                {
                    await _table.DeleteEntityAsync(PartitionKey(grainId), RowKey(stateName), new ETag(grainState.ETag));
                }
                catch (RequestFailedException ex) when (IsLostRace(ex))
                {
                    throw Inconsistent(ex, "delete", stateName, grainId, grainState.ETag);
                }
            }

            grainState.ETag = null;
        }
        else
        {
            // Replacing the row with one without data columns empties it while keeping the ETag guard.
            grainState.ETag = await GuardedWriteAsync(new TableEntity(PartitionKey(grainId), RowKey(stateName)), grainState.ETag, stateName, grainId);
        }

        grainState.State = CreateEmpty<T>();
        grainState.RecordExists = false;
    }

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe($"{nameof(AzureTableGrainStorage)}-{_name}", _options.InitStage, InitAsync);
    }

    private async Task InitAsync(CancellationToken cancellationToken)
    {
        await _table.CreateIfNotExistsAsync(cancellationToken);
        LogTableReady(_logger, _name, _options.TableName);
    }

    private async Task<string> GuardedWriteAsync(TableEntity entity, string? etag, string stateName, GrainId grainId)
    {
        try
        {
            // No ETag means "this grain has never seen a row": Add fails with 409 if one exists, so two activations
            // cannot both create the state. With an ETag, Replace succeeds only on the version that was read.
            Response response = etag is null
                ? await _table.AddEntityAsync(entity)
                : await _table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace);
            return response.Headers.ETag?.ToString()
                ?? throw new InvalidOperationException($"Azure Tables returned no ETag for the state '{stateName}' of grain {grainId}.");
        }
        catch (RequestFailedException ex) when (IsLostRace(ex))
        {
            throw Inconsistent(ex, etag is null ? "insert" : "replace", stateName, grainId, etag);
        }
    }

    private static bool IsLostRace(RequestFailedException ex) => ex.Status is 404 or 409 or 412;

    private InconsistentStateException Inconsistent(RequestFailedException ex, string operation, string stateName, GrainId grainId, string? etag) =>
        new(
            $"The {operation} of state '{stateName}' of grain {grainId} in table {_options.TableName} lost an optimistic concurrency race (HTTP {ex.Status} {ex.ErrorCode}): the stored row is not the version this activation read.",
            "Unknown",
            etag,
            ex);

    private static byte[] ReadData(TableEntity entity)
    {
        List<byte[]> chunks = new(MaxColumns);
        foreach (string column in s_dataColumns)
        {
            if (!entity.TryGetValue(column, out object? value))
            {
                continue;
            }

            byte[]? chunk = value switch
            {
                byte[] b => b,
                BinaryData b => b.ToArray(),
                string s when s.Length > 0 => Convert.FromBase64String(s),
                _ => null,
            };
            if (chunk is { Length: > 0 })
            {
                chunks.Add(chunk);
            }
        }

        return chunks.Count == 1 ? chunks[0] : [.. chunks.SelectMany(static c => c)];
    }

    private T? Deserialize<T>(byte[] data, string stateName, GrainId grainId)
    {
        try
        {
            return _options.GrainStorageSerializer.Deserialize<T>(new BinaryData(data));
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"The stored state '{stateName}' of grain {grainId} ({data.Length:N0} bytes) could not be deserialized as {typeof(T).FullName}.", ex);
        }
    }

    private string PartitionKey(GrainId grainId) => AzureTableKeys.Sanitize($"{_serviceId}_{grainId}");

    private static string RowKey(string stateName) => AzureTableKeys.Sanitize(stateName);

    private T CreateEmpty<T>() => _activators.GetActivator<T>().Create();

    [LoggerMessage(Level = LogLevel.Information, Message = "Azure Table grain storage {Provider} uses table {Table}")]
    private static partial void LogTableReady(ILogger logger, string provider, string table);
}
