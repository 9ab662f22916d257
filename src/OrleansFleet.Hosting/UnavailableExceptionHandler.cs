using Microsoft.AspNetCore.Diagnostics;
using OrleansFleet.Streaming;

namespace OrleansFleet.Hosting;

/// <summary>
/// Turns failures of the cluster or of a dependency into 503 with <c>Retry-After</c> and a problem body, so clients
/// back off and retry (safe: duplicates are dropped by <c>seq</c>) instead of seeing a 500.
/// </summary>
internal sealed partial class UnavailableExceptionHandler(IProblemDetailsService problems, ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsTransient(exception))
        {
            return false;
        }

        LogUnavailable(logger, exception, httpContext.Request.Path);
        var retryAfter = (int)Math.Ceiling((Find<TelemetryStreamUnavailableException>(exception)?.RetryAfter ?? DefaultRetryAfter).TotalSeconds);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is temporarily unavailable.",
                Detail = $"A dependency did not answer ({exception.GetType().Name}). Retry after {retryAfter} s; events already accepted are kept, and resent ones with a seq are not applied twice.",
            },
        });
    }

    /// <summary>Failures that pass: timeouts, an unreachable or overloaded cluster, a failing store or stream.</summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        TimeoutException or OrleansMessageRejectionException or SiloUnavailableException or ClientNotAvailableException => true,
        TelemetryStreamUnavailableException => true,
        Orleans.Storage.InconsistentStateException => true,
        OrleansFleet.Persistence.AzureTables.TelemetryStoreUnavailableException => true,
        // Azure Storage unreachable (status 0), throttling or failing: e.g. a grain's state read while the account is down.
        Azure.RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsTransient),
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    private static T? Find<T>(Exception exception)
        where T : Exception => exception switch
        {
            T match => match,
            AggregateException aggregate => aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null),
            _ => exception.InnerException is { } inner ? Find<T>(inner) : null,
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Path} failed on a dependency; answered 503")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, PathString path);
}
