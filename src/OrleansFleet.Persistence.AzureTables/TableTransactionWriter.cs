using Azure.Data.Tables;
using Polly;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// Submits entity-group transactions to one table through a resilience pipeline, creating the table on first use:
/// the write path the table stores share.
/// </summary>
internal sealed class TableTransactionWriter(TableClient table, ResiliencePipeline pipeline)
{
    private readonly TableClient _table = table;
    private volatile bool _tableReady;

    /// <summary>Commits <paramref name="transaction"/> (one partition, at most 100 rows) atomically, retried as the pipeline says.</summary>
    public async Task SubmitAsync(IReadOnlyList<TableTransactionAction> transaction, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(
            static async (state, token) =>
            {
                await state.Writer.EnsureTableAsync(token);
                await state.Writer._table.SubmitTransactionAsync(state.Transaction, token);
            },
            (Writer: this, Transaction: transaction),
            cancellationToken);

    private async ValueTask EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (!_tableReady)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            _tableReady = true;
        }
    }
}
