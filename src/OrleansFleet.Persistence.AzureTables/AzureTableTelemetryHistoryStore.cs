using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Registry;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// The telemetry history on Azure Table Storage, written in entity-group transactions behind a resilience pipeline.
/// </summary>
/// <remarks>
/// <para>
/// Layout: PartitionKey = device id (valid ids contain no character Azure forbids in keys), RowKey =
/// <see cref="TelemetryHistoryKeys.RowKey"/> (inverted timestamp ticks, then inverted seq). A partition is one device,
/// so "device X between t1 and t2, newest first, paged" is a single-partition key-range scan that Azure serves in key
/// order without an index; and a redelivered reading has the same keys, so its upsert overwrites its own row.
/// </para>
/// <para>
/// Columns: <c>Seq</c> (Int64, absent for seq-less readings), <c>ReadingTime</c> (for people browsing the table; the
/// exact tick comes from the RowKey), <c>Status</c> (name, when reported) and <c>Metrics</c>, a JSON object. Metrics
/// are one JSON column rather than a column each because metric names may contain '.', ':' and '-', which Azure
/// property names cannot, an entity has at most 252 properties, and nothing queries a single metric server-side;
/// JSON keeps the names exact and the readings self-describing.
/// </para>
/// <para>
/// Writes: an entity-group transaction commits up to 100 entities of one partition atomically in one round trip,
/// which is what makes bulk writes cheap. Readings are grouped by device, deduplicated by RowKey (a transaction may not
/// touch one entity twice), cut into chunks of 100 and upserted with <c>UpsertReplace</c>, so replays are idempotent.
/// </para>
/// </remarks>
public sealed class AzureTableTelemetryHistoryStore : ITelemetryHistoryStore
{
    /// <summary>Most operations Azure accepts in one entity-group transaction.</summary>
    public const int MaxTransactionSize = 100;

    private const string SeqColumn = "Seq";
    private const string ReadingTimeColumn = "ReadingTime";
    private const string StatusColumn = "Status";
    private const string MetricsColumn = "Metrics";

    private readonly TableTransactionWriter _writer;
    private readonly TableClient _reader;
    private readonly TelemetryStoreMetrics _metrics;

    /// <summary>Creates the store; the table is created on the first write.</summary>
    /// <param name="options">Where the table is and how writes are protected.</param>
    /// <param name="pipelines">Holds the write pipeline registered by <c>AddAzureTableTelemetryHistoryStore</c>.</param>
    /// <param name="metrics">The write counters.</param>
    public AzureTableTelemetryHistoryStore(
        IOptions<AzureTableTelemetryStoreOptions> options,
        ResiliencePipelineProvider<string> pipelines,
        TelemetryStoreMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipelines);
        AzureTableTelemetryStoreOptions settings = options.Value;

        // Writes retry in the Polly pipeline only; queries keep the SDK's default retries.
        _writer = new TableTransactionWriter(settings.CreateWriterClient(), pipelines.GetPipeline(TelemetryStoreResilience.PipelineName));
        _reader = settings.CreateTableClient(new TableClientOptions());
        _metrics = metrics;
    }

    /// <inheritdoc/>
    /// <exception cref="TelemetryStoreUnavailableException">The circuit is open, the store is overloaded, or transient failures outlasted the retries.</exception>
    public async Task WriteAsync(IReadOnlyList<TelemetryEvent> readings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        List<List<TableTransactionAction>> transactions = [];
        foreach (IGrouping<string, TelemetryEvent> device in readings.GroupBy(static r => r.DeviceId, StringComparer.Ordinal))
        {
            Dictionary<string, TableEntity> rows = new(StringComparer.Ordinal);
            foreach (TelemetryEvent reading in device)
            {
                TableEntity entity = ToEntity(reading);
                rows[entity.RowKey] = entity;
            }

            transactions.AddRange(rows.Values
                .Chunk(MaxTransactionSize)
                .Select(static chunk => chunk.Select(static e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)).ToList()));
        }

        // Partitions commit independently and in parallel; the pipeline's concurrency limiter bounds how many at once.
        await Task.WhenAll(transactions.Select(t => SubmitAsync(t, cancellationToken)));
    }

    /// <inheritdoc/>
    public async Task<TelemetryPage> QueryAsync(
        string deviceId,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int limit,
        string? continuationToken,
        CancellationToken cancellationToken)
    {
        TelemetryHistoryKeys.ValidateQuery(deviceId, from, to, limit);
        (string? start, string? end) = TelemetryHistoryKeys.QueryRange(from, to, continuationToken);
        List<string> conditions = [TableClient.CreateQueryFilter($"PartitionKey eq {deviceId}")];
        if (start is not null)
        {
            conditions.Add(TableClient.CreateQueryFilter($"RowKey ge {start}"));
        }

        if (end is not null)
        {
            conditions.Add(TableClient.CreateQueryFilter($"RowKey lt {end}"));
        }

        // One row more than the page tells whether there is a next page, and its key is the next page's start.
        List<TelemetryEvent> items = new(limit);
        string? next = null;
        try
        {
            await foreach (TableEntity entity in _reader.QueryAsync<TableEntity>(string.Join(" and ", conditions), limit + 1, cancellationToken: cancellationToken))
            {
                if (items.Count == limit)
                {
                    next = entity.RowKey;
                    break;
                }

                items.Add(FromEntity(entity));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Nothing was ever written: the table does not exist yet.
            return new TelemetryPage([], null);
        }

        return new TelemetryPage(items, next is null ? null : TelemetryHistoryKeys.EncodeToken(next));
    }

    private async Task SubmitAsync(List<TableTransactionAction> transaction, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.SubmitAsync(transaction, cancellationToken);
            _metrics.Committed(transaction.Count);
        }
        catch (BrokenCircuitException ex)
        {
            _metrics.Failed("circuit_open");
            throw new TelemetryStoreUnavailableException("The telemetry history store is failing; its circuit is open and writes fail fast until it recovers.", ex);
        }
        catch (RateLimiterRejectedException ex)
        {
            _metrics.Failed("overloaded");
            throw new TelemetryStoreUnavailableException("The telemetry history store is overloaded: too many transactions are waiting.", ex);
        }
        catch (Exception ex) when (TelemetryStoreResilience.IsTransient(ex))
        {
            _metrics.Failed("transient");
            throw new TelemetryStoreUnavailableException("The telemetry history store kept failing after retries.", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _metrics.Failed("error");
            throw;
        }
    }

    private static TableEntity ToEntity(TelemetryEvent reading)
    {
        TableEntity entity = new(reading.DeviceId, TelemetryHistoryKeys.RowKey(reading))
        {
            [ReadingTimeColumn] = reading.Timestamp.ToUniversalTime(),
            [MetricsColumn] = JsonSerializer.Serialize(reading.Metrics),
        };
        if (reading.Seq is long seq)
        {
            entity[SeqColumn] = seq;
        }

        if (reading.Status is DeviceStatus status)
        {
            entity[StatusColumn] = status.ToString();
        }

        return entity;
    }

    private static TelemetryEvent FromEntity(TableEntity entity)
    {
        string? metricsJson = entity.GetString(MetricsColumn);
        Dictionary<string, double> metrics = string.IsNullOrEmpty(metricsJson)
            ? []
            : JsonSerializer.Deserialize<Dictionary<string, double>>(metricsJson) ?? [];
        DeviceStatus? status = entity.GetString(StatusColumn) is { } name && Enum.TryParse(name, out DeviceStatus parsed) ? parsed : null;
        return new TelemetryEvent(entity.PartitionKey, entity.GetInt64(SeqColumn), TelemetryHistoryKeys.TimestampOf(entity.RowKey), metrics, status);
    }
}
