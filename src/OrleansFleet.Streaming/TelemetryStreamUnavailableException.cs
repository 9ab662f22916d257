namespace OrleansFleet.Streaming;

/// <summary>
/// The telemetry stream's transport could not confirm a write (unreachable, timed out). Nothing was acknowledged;
/// the caller may retry. The API maps it to <c>503 Service Unavailable</c> with <c>Retry-After: </c><see cref="RetryAfter"/>.
/// </summary>
public sealed class TelemetryStreamUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TelemetryStreamUnavailableException()
        : this("The telemetry stream is unavailable.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public TelemetryStreamUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TelemetryStreamUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long a client should wait before retrying.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);
}
