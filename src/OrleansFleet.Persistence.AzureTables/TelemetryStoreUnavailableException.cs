namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// The telemetry history could not be written now: the circuit is open, the store is overloaded, or transient failures
/// outlasted the retries. Nothing in the failed call may be treated as persisted; callers refuse to acknowledge the
/// readings so the stream redelivers them later.
/// </summary>
public sealed class TelemetryStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TelemetryStoreUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why the store is unavailable.</param>
    public TelemetryStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Why the store is unavailable.</param>
    /// <param name="innerException">The failure behind it.</param>
    public TelemetryStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
