using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansFleet.Testing;

namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>
/// <c>/health/ready</c> against real dependencies that go away and come back: a private redis-server (the telemetry
/// stream) and a private Azurite (grain state and history), each stopped and restarted while the host keeps running.
/// </summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ready_fails_while_redis_or_table_storage_is_down_and_recovers_without_a_restart_while_live_stays_up()
    {
        await using PrivateAzurite azurite = await PrivateAzurite.StartAsync();
        await using PrivateRedisServer redis = await PrivateRedisServer.StartAsync();
        // Membership and reminders in the silo: the outages tested are the data's, not the cluster's.
        await using TablesHostFactory host = TablesHostFactory.LocalCluster(azurite.ConnectionString, $"ready-{Guid.NewGuid():N}"[..14], new Dictionary<string, string?>
        {
            ["Orleans:Clustering:ProviderType"] = "Development",
            ["Orleans:Reminders:ProviderType"] = "Memory",
            ["Fleet:Streaming:Provider"] = "Redis",
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
        });
        using HttpClient client = host.CreateClient();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();

        await ReadyAsync(client, health, HttpStatusCode.OK, "both up", ("redis", HealthStatus.Healthy), ("tables", HealthStatus.Healthy));

        await redis.KillAsync();
        await ReadyAsync(client, health, HttpStatusCode.ServiceUnavailable, "redis down", ("redis", HealthStatus.Unhealthy), ("tables", HealthStatus.Healthy));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        await redis.StartAgainAsync();
        await ReadyAsync(client, health, HttpStatusCode.OK, "redis back", ("redis", HealthStatus.Healthy), ("tables", HealthStatus.Healthy));

        await azurite.StopAsync();
        await ReadyAsync(client, health, HttpStatusCode.ServiceUnavailable, "azurite down", ("redis", HealthStatus.Healthy), ("tables", HealthStatus.Unhealthy));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        await azurite.StartAgainAsync();
        await ReadyAsync(client, health, HttpStatusCode.OK, "azurite back", ("redis", HealthStatus.Healthy), ("tables", HealthStatus.Healthy));
    }

    /// <summary>Polls until <c>/health/ready</c> answers <paramref name="status"/> and the named checks report as expected.</summary>
    private static async Task ReadyAsync(HttpClient client, HealthCheckService health, HttpStatusCode status, string phase, params (string Check, HealthStatus Status)[] expected)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            using HttpResponseMessage response = await client.GetAsync("/health/ready");
            HealthReport report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"));
            last = $"{(int)response.StatusCode}; " + string.Join(", ", report.Entries.Select(e => $"{e.Key}={e.Value.Status}"));
            if (response.StatusCode == status && expected.All(e => report.Entries.TryGetValue(e.Check, out HealthReportEntry entry) && entry.Status == e.Status))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{phase}: /health/ready did not reach {(int)status} with {string.Join(", ", expected)} within {Deadline.TotalSeconds} s; last: {last}");
    }
}
