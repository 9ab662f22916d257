using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansFleet.Hosting.Health;

/// <summary>
/// Ready while the storage account's Table service answers: one page of at most one table name, through the client
/// Orleans' Azure providers and the telemetry history share. Every probe is a new request (the SDK keeps no broken
/// state), so readiness recovers as soon as the account answers again.
/// </summary>
internal sealed class TableStorageHealthCheck(TableServiceClient tables, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The SDK retries a refused connection for several seconds; readiness should say "down" sooner than that.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: bounded.Token).AsPages(pageSizeHint: 1).WithCancellation(bounded.Token))
            {
                break;
            }

            return HealthCheckResult.Healthy($"Table storage answers ({tables.AccountName})");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Table storage ({tables.AccountName}) does not answer", ex);
        }
    }
}
