namespace OrleansFleet;

/// <summary>
/// Where the telemetry history goes once a device grain has applied the readings: written in bulk by the telemetry
/// writer, read by the query side (<c>GET /api/devices/{id}/telemetry</c>) without touching the device grain.
/// </summary>
public interface ITelemetryHistoryStore
{
    /// <summary>
    /// Persists <paramref name="readings"/>, which may belong to many devices. Idempotent: each reading has one row
    /// per device and <see cref="TelemetryEvent.Seq"/> (see <see cref="TelemetryHistoryKeys"/>), so a redelivered
    /// reading overwrites its own row instead of adding one. When the task completes, every reading is durable;
    /// when it throws, callers must treat the whole call as not persisted (and not acknowledge it).
    /// </summary>
    /// <param name="readings">The readings to persist, in any order.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task WriteAsync(IReadOnlyList<TelemetryEvent> readings, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one device's readings taken between <paramref name="from"/> and <paramref name="to"/> (both inclusive),
    /// newest first, at most <paramref name="limit"/> per page.
    /// </summary>
    /// <param name="deviceId">The device.</param>
    /// <param name="from">The oldest reading time to include; <c>null</c> for no lower bound.</param>
    /// <param name="to">The newest reading time to include; <c>null</c> for no upper bound.</param>
    /// <param name="limit">Most readings in the page, 1 to <see cref="TelemetryHistoryKeys.MaxPageSize"/>.</param>
    /// <param name="continuationToken">The token of the previous page, or <c>null</c> for the first page.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The page; its token is <c>null</c> when there is nothing more.</returns>
    /// <exception cref="ArgumentException">The device id, the range, the limit or the token is invalid.</exception>
    Task<TelemetryPage> QueryAsync(
        string deviceId,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int limit,
        string? continuationToken,
        CancellationToken cancellationToken);
}
