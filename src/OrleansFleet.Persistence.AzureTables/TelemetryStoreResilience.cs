using System.Net.Sockets;
using System.Threading.RateLimiting;
using Azure;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// The resilience pipeline around each entity-group transaction of the telemetry history, outermost first:
/// a concurrency limiter (caps transactions in flight to the table; a retrying transaction keeps its slot),
/// retry with exponential jittered backoff on transient failures, a circuit breaker (stops hammering a failing store
/// and makes writes fail fast), and a timeout per attempt.
/// </summary>
internal static class TelemetryStoreResilience
{
    /// <summary>The key of the pipeline in <c>ResiliencePipelineProvider&lt;string&gt;</c>.</summary>
    public const string PipelineName = "OrleansFleet.TelemetryHistory.Write";

    private static readonly PredicateBuilder<object> s_transient = new PredicateBuilder().Handle<Exception>(IsTransient);

    public static void Configure(
        ResiliencePipelineBuilder builder,
        AzureTableTelemetryStoreOptions options,
        TelemetryStoreCircuit circuit,
        TelemetryStoreMetrics metrics)
    {
        builder
            .AddConcurrencyLimiter(Limiter(options, options.MaxQueuedTransactions))
            .AddRetry(Retry(options))
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = s_transient,
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakDuration,
                StateProvider = circuit.StateProvider,
                OnOpened = args =>
                {
                    circuit.Opened(args.BreakDuration);
                    metrics.BreakerOpened();
                    return default;
                },
            })
            .AddTimeout(options.AttemptTimeout);
    }

    /// <summary>The limiter of transactions in flight: <see cref="AzureTableWriteOptions.MaxConcurrentTransactions"/>, the rest queued oldest first.</summary>
    public static ConcurrencyLimiterOptions Limiter(AzureTableWriteOptions options, int queueLimit) => new()
    {
        PermitLimit = options.MaxConcurrentTransactions,
        QueueLimit = queueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    };

    /// <summary>Retries of transient failures with exponential, jittered backoff, as <paramref name="options"/> set them.</summary>
    public static RetryStrategyOptions Retry(AzureTableWriteOptions options) => new()
    {
        ShouldHandle = s_transient,
        MaxRetryAttempts = options.MaxRetryAttempts,
        Delay = options.RetryBaseDelay,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
    };

    /// <summary>
    /// Whether retrying may help: no response at all (network), request timeout, throttling, or a server error.
    /// A 4xx other than 408/429 is a bug in the request and fails at once; an open circuit is never retried.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        RequestFailedException => false,
        TimeoutRejectedException or HttpRequestException or IOException or SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };
}
