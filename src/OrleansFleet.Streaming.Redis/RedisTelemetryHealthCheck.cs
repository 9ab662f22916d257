using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansFleet.Streaming.Redis;

/// <summary>
/// Ready while the telemetry stream's Redis answers a <c>PING</c> on the provider's own connection: the one the API's
/// appends and the partition receivers use, so readiness fails exactly when they cannot reach Redis, and recovers when
/// the multiplexer has reconnected in the background.
/// </summary>
/// <param name="connection">The provider's connection (keyed by the stream provider's name).</param>
/// <param name="timeout">How long a probe may take before it counts as down.</param>
public sealed class RedisTelemetryHealthCheck(RedisTelemetryConnection connection, TimeSpan timeout) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var db = await connection.GetDatabaseAsync().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            var latency = await db.PingAsync().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Redis (the telemetry stream) does not answer", ex);
        }
    }
}
