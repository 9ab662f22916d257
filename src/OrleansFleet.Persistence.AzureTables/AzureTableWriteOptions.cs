using Azure.Data.Tables;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// What every table store of OrleansFleet that writes entity-group transactions behind a resilience pipeline is set
/// with: the account and table, and the timeout, retries and concurrency of its writes.
/// </summary>
public abstract class AzureTableWriteOptions : AzureTableConnectionOptions
{
    /// <summary>Longest one transaction attempt may take before it is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a transaction after a transient failure (5xx, 408, 429, network, timeout).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base delay of the exponential, jittered backoff between retries.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Most entity-group transactions in flight to the table at once, across all callers.</summary>
    /// <remarks>A transaction holds one partition's rows, so one write of many partitions (or of many rows of one) is
    /// many transactions; 32 keeps a silo's share of the account busy without flooding it.</remarks>
    public int MaxConcurrentTransactions { get; set; } = 32;

    /// <summary>
    /// The client writes go through. The Azure SDK's own retries are off: the Polly pipeline retries, and two nested
    /// retry layers would multiply attempts and hide failures from a circuit breaker.
    /// </summary>
    internal TableClient CreateWriterClient()
    {
        TableClientOptions options = new();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = AttemptTimeout;
        return CreateTableClient(options);
    }

    /// <summary>Adds what is wrong with the connection and write settings to <paramref name="problems"/>, naming each setting.</summary>
    /// <param name="owner">What these settings configure, for the message.</param>
    /// <param name="problems">Where the problems go.</param>
    internal void FindWriteProblems(string owner, List<string> problems)
    {
        if (FindProblem(owner) is { } connection)
        {
            problems.Add(connection);
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{owner}: AttemptTimeout must be positive.");
        }

        if (MaxRetryAttempts < 0)
        {
            problems.Add($"{owner}: MaxRetryAttempts must be 0 or more.");
        }

        if (MaxConcurrentTransactions < 1)
        {
            problems.Add($"{owner}: MaxConcurrentTransactions must be at least 1.");
        }
    }
}
