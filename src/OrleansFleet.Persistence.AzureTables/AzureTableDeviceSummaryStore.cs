using System.Globalization;
using System.Text;
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
/// Layout: PartitionKey = the index shard (<c>0007</c>), RowKey = the device id (valid ids contain no character Azure
/// forbids in keys, and ids are validated before they reach storage). A shard's rows are one partition,
/// so a shard that activates reads them with one partition scan, and a shard's write is one or more entity-group
/// transactions of up to 100 rows each: the write costs what changed, whatever the shard holds.
/// </para>
/// <para>
/// Columns: <c>Version</c> (Int64), <c>Status</c> (name), <c>Offline</c> (bool), <c>LastHeardAt</c> (when known) and
/// <c>OpenAlarms</c>, a JSON array: nothing queries an alarm server-side, and JSON keeps rule ids and metric names exact.
/// A string column holds at most 64 KiB, and a device may have an open alarm for each of hundreds of rules, so a long
/// array continues in <c>OpenAlarms1</c>, <c>OpenAlarms2</c>, … (an entity holds 1 MiB).
/// </para>
/// <para>
/// Transactions: at most 100 rows and, since Azure refuses a transaction over 4 MiB, at most about 1 MiB of alarm
/// JSON each. A transaction Azure refuses outright would be refused again on every write of its shard.
/// </para>
/// </remarks>
public sealed class AzureTableDeviceSummaryStore : IDeviceSummaryStore
{
    /// <summary>The key of the write pipeline in <c>ResiliencePipelineProvider&lt;string&gt;</c>.</summary>
    public const string PipelineName = "OrleansFleet.DeviceSummaries.Write";

    private const string VersionColumn = "Version";
    private const string StatusColumn = "Status";
    private const string OfflineColumn = "Offline";
    private const string LastHeardAtColumn = "LastHeardAt";
    private const string OpenAlarmsColumn = "OpenAlarms";

    /// <summary>Characters per alarms column: Azure strings are UTF-16 and at most 64 KiB.</summary>
    private const int MaxColumnChars = 32_000;

    /// <summary>Alarm JSON characters per transaction, well inside Azure's 4 MiB per transaction.</summary>
    private const int MaxTransactionChars = 1_000_000;

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
        Dictionary<string, (TableEntity Entity, int Chars)> rows = new(StringComparer.Ordinal);
        foreach (DeviceSummary summary in summaries)
        {
            string alarms = JsonSerializer.Serialize(summary.OpenAlarms, s_json);
            TableEntity entity = ToEntity(partition, summary, alarms);
            rows[entity.RowKey] = (entity, alarms.Length);
        }

        // The transactions of one write commit in parallel; the pipeline's limiter bounds how many run at once.
        await Task.WhenAll(Transactions(rows.Values).Select(t => _writer.SubmitAsync(t, cancellationToken)));
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

    private static IEnumerable<List<TableTransactionAction>> Transactions(IEnumerable<(TableEntity Entity, int Chars)> rows)
    {
        List<TableTransactionAction> transaction = [];
        int chars = 0;
        foreach ((TableEntity entity, int size) in rows)
        {
            if (transaction.Count == AzureTableTelemetryHistoryStore.MaxTransactionSize || (transaction.Count > 0 && chars + size > MaxTransactionChars))
            {
                yield return transaction;
                transaction = [];
                chars = 0;
            }

            transaction.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity));
            chars += size;
        }

        if (transaction.Count > 0)
        {
            yield return transaction;
        }
    }

    private static TableEntity ToEntity(string partition, DeviceSummary summary, string alarms)
    {
        if (!DeviceId.IsValid(summary.DeviceId))
        {
            throw new ArgumentException($"'{summary.DeviceId}' is not a valid device id: it {DeviceId.Rule}.", nameof(summary));
        }

        TableEntity entity = new(partition, summary.DeviceId)
        {
            [VersionColumn] = summary.Version,
            [StatusColumn] = summary.Status.ToString(),
            [OfflineColumn] = summary.Offline,
        };
        for (int start = 0, column = 0; start < alarms.Length; start += MaxColumnChars, column++)
        {
            entity[AlarmsColumn(column)] = alarms.Substring(start, Math.Min(MaxColumnChars, alarms.Length - start));
        }

        if (summary.LastHeardAt is { } heard)
        {
            entity[LastHeardAtColumn] = heard.ToUniversalTime();
        }

        return entity;
    }

    private static DeviceSummary FromEntity(TableEntity entity) => new()
    {
        DeviceId = entity.RowKey,
        Version = entity.GetInt64(VersionColumn) ?? 0,
        Status = Enum.TryParse(entity.GetString(StatusColumn), out DeviceStatus status) ? status : default,
        Offline = entity.GetBoolean(OfflineColumn) ?? false,
        LastHeardAt = entity.GetDateTimeOffset(LastHeardAtColumn),
        OpenAlarms = JsonSerializer.Deserialize<List<Alarm>>(AlarmsJson(entity), s_json) ?? [],
    };

    private static string AlarmsJson(TableEntity entity)
    {
        StringBuilder json = new();
        for (int column = 0; entity.GetString(AlarmsColumn(column)) is { } part; column++)
        {
            json.Append(part);
        }

        return json.Length == 0 ? "[]" : json.ToString();
    }

    private static string AlarmsColumn(int column) => column == 0 ? OpenAlarmsColumn : OpenAlarmsColumn + column.ToString(CultureInfo.InvariantCulture);
}
