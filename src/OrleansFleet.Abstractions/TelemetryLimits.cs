namespace OrleansFleet;

/// <summary>Bounds on what one request or stream record may carry (configuration section <c>Fleet:Ingest</c>).</summary>
public sealed class TelemetryLimits
{
    /// <summary>The configuration section these limits bind to.</summary>
    public const string SectionName = "Fleet:Ingest";

    /// <summary>Most events in one request or record.</summary>
    public int MaxEventsPerRequest { get; set; } = 5_000;

    /// <summary>Largest request body, in bytes.</summary>
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most metrics in one event.</summary>
    public int MaxMetricsPerEvent { get; set; } = 64;

    /// <summary>How far ahead of the server's clock a timestamp may be before it is rejected as bad device time.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// On memory streams: most events accepted (202) but not yet applied by their devices. A request that would go
    /// past it is refused whole with 503 and <see cref="RetryAfter"/>, before anything of it is appended.
    /// </summary>
    public int MaxUnappliedEvents { get; set; } = 100_000;

    /// <summary>
    /// On memory streams: how long a request that does not fit under <see cref="MaxUnappliedEvents"/> waits for the
    /// devices to catch up before it is refused. Zero refuses at once.
    /// </summary>
    public TimeSpan MaxAdmissionWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What a refused request is told to wait before retrying.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
