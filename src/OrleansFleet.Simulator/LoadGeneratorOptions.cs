namespace OrleansFleet.Simulator;

/// <summary>How the load generator sends.</summary>
public sealed class LoadGeneratorOptions
{
    /// <summary>Concurrent senders. Devices are partitioned over them, so one device's requests never overlap.</summary>
    public int Senders { get; init; } = 8;

    /// <summary>Most events per request (the API accepts up to 5,000).</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>
    /// Attempts per request when the API answers 429/503 (each retried after its <c>Retry-After</c>) or the connection
    /// fails (retried after 200 ms × the attempt). A request refused this often is counted as rejected.
    /// </summary>
    public int MaxAttempts { get; init; } = 10;
}
