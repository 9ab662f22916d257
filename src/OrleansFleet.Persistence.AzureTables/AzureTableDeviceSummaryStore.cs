using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// The fleet read model's rows on Azure Table Storage: one row per device, upserted in entity-group transactions
/// behind a resilience pipeline.
/// </summary>
/// <remarks>
/// <para>
/// Layout: PartitionKey = the index shard (<c>0007</c>), RowKey = the device id, sanitized as grain keys are
/// (<see cref="AzureTableKeys"/>; the exact id is kept in the <c>DeviceId</c> column). A shard's rows are one partition,
/// so a shard that activates reads them with one partition scan, and a shard's write is one or more entity-group
/// transactions of up to 100 rows each: the write costs what changed, whatever the shard holds.
/// </para>
/// <para>
/// Columns: <c>Version</c> (Int64), <c>Status</c> (name), <c>Offline</c> (bool), <c>LastHeardAt</c> (when known) and
/// <c>OpenAlarms</c>, a JSON array: nothing queries an alarm server-side, and JSON keeps rule ids and metric names exact.
/// </para>
/// </remarks>
public sealed class AzureTableDeviceSummaryStore : IDeviceSummaryStore
{
    /// <summary>The key of the write pipeline in <c>ResiliencePipelineProvider&lt;string&gt;</c>.</summary>
    public const string PipelineName = "OrleansFleet.DeviceSummaries.Write";

    private const string DeviceIdColumn = "DeviceId";
    private const string VersionColumn = "Version";
    private const string StatusColumn = "Status";
    private const string OfflineColumn = "Offline";
    private const string LastHeardAtColumn = "LastHeardAt";
    private const string OpenAlarmsColumn = "OpenAlarms";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly TableTransactionWriter _writer;
    private readonly TableClient _reader;

    /// <summary>Creates the store; the table is created on the first write.</summary>
    /// <param name="options">Where the table is and how writes are protected.</param>
    /// <param name="pipelines">Holds the write pipeline registered by <c>AddAzureTableDeviceSummaryStore</c>.</param>
    public AzureTableDeviceSummaryStore(IOptions<AzureTableDeviceSummaryStoreOptions> options, ResiliencePipelineProvider<string> pipelines)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipelines);
        AzureTableDeviceSummaryStoreOptions settings = options.Value;
        _writer = new TableTransactionWriter(settings.CreateWriterClient(), pipelines.GetPipeline(PipelineName));
        _reader = settings.CreateTableClient(new TableClientOptions());
    }

    /// <summary>The partition key of shard <paramref name="shard"/>.</summary>
    public static string PartitionKeyOf(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        return shard.ToString("D4", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public async Task UpsertAsync(int shard, IReadOnlyCollection<DeviceSummary> summaries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        string partition = PartitionKeyOf(shard);

        // A transaction may not touch one row twice: the last summary of a device wins.
        Dictionary<string, TableEntity> rows = new(StringComparer.Ordinal);
        foreach (DeviceSummary summary in summaries)
        {
            TableEntity entity = ToEntity(partition, summary);
            rows[entity.RowKey] = entity;
        }

        // The transactions of one write commit in parallel; the pipeline's limiter bounds how many run at once.
        await Task.WhenAll(rows.Values
            .Chunk(AzureTableTelemetryHistoryStore.MaxTransactionSize)
            .Select(chunk => _writer.SubmitAsync([.. chunk.Select(static e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))], cancellationToken)));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DeviceSummary>> ReadShardAsync(int shard, CancellationToken cancellationToken)
    {
        string partition = PartitionKeyOf(shard);
        List<DeviceSummary> summaries = [];
        try
        {
            await foreach (TableEntity entity in _reader.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: 1_000, cancellationToken: cancellationToken))
            {
                summaries.Add(FromEntity(entity));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Nothing was ever written: the table does not exist yet.
            return [];
        }

        return summaries;
    }

    private static TableEntity ToEntity(string partition, DeviceSummary summary)
    {
        TableEntity entity = new(partition, AzureTableKeys.Sanitize(summary.DeviceId))
        {
            [DeviceIdColumn] = summary.DeviceId,
            [VersionColumn] = summary.Version,
            [StatusColumn] = summary.Status.ToString(),
            [OfflineColumn] = summary.Offline,
            [OpenAlarmsColumn] = JsonSerializer.Serialize(summary.OpenAlarms, s_json),
        };
        if (summary.LastHeardAt is { } heard)
        {
            entity[LastHeardAtColumn] = heard.ToUniversalTime();
        }

        return entity;
    }

    private static DeviceSummary FromEntity(TableEntity entity) => new()
    {
        DeviceId = entity.GetString(DeviceIdColumn) ?? entity.RowKey,
        Version = entity.GetInt64(VersionColumn) ?? 0,
        Status = Enum.TryParse(entity.GetString(StatusColumn), out DeviceStatus status) ? status : default,
        Offline = entity.GetBoolean(OfflineColumn) ?? false,
        LastHeardAt = entity.GetDateTimeOffset(LastHeardAtColumn),
        OpenAlarms = JsonSerializer.Deserialize<List<Alarm>>(entity.GetString(OpenAlarmsColumn) ?? "[]", s_json) ?? [],
    };
}
