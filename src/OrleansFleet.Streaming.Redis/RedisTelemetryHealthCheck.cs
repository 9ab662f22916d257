using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansFleet.Streaming.Redis;

/// <summary>
/// Ready while the telemetry stream's Redis answers a read on the provider's own connection: the one the API's
/// appends and the partition receivers use, so readiness fails exactly when they cannot reach Redis, and recovers when
/// the multiplexer has reconnected in the background.
/// </summary>
/// <param name="connection">The provider's connection (keyed by the stream provider's name).</param>
/// <param name="timeout">How long a probe may take before it counts as down.</param>
public sealed class RedisTelemetryHealthCheck(RedisTelemetryConnection connection, TimeSpan timeout) : IHealthCheck
{
    private const string ProbeKey = "fleet:health-probe";

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var db = await connection.GetDatabaseAsync().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            // A read, not a PING: a restarted Redis answers PING while it is still loading its data, and refuses the
            // stream's commands (LOADING) until it is done.
            await db.KeyExistsAsync(ProbeKey).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("Redis answers");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Redis (the telemetry stream) does not answer", ex);
        }
    }
}
