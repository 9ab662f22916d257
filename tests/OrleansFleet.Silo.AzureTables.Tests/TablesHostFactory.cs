using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OrleansFleet.Hosting.Security;

namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>
/// The real host with the given settings on top of free silo and gateway ports, quiet logs, and breaker/retry timings
/// short enough for a test to watch the telemetry history's breaker open and close. Unless told otherwise it is
/// configured with one API key holding every scope (the cluster modes refuse to start without one), which its clients send.
/// </summary>
internal sealed class TablesHostFactory(IReadOnlyDictionary<string, string?> settings, bool withApiKey = true) : WebApplicationFactory<Program>
{
    /// <summary>The key the clients send.</summary>
    public const string ApiKey = "tables-tests-key";

    /// <summary>
    /// The local-cluster mode on <paramref name="connectionString"/>'s account: membership, reminders, grain state and
    /// the telemetry history on Azure Tables, in a cluster of its own; the telemetry stream in memory, so no Redis is needed.
    /// </summary>
    public static TablesHostFactory LocalCluster(string connectionString, string clusterId, IReadOnlyDictionary<string, string?>? extra = null)
    {
        Dictionary<string, string?> settings = new()
        {
            ["Fleet:Mode"] = "LocalCluster",
            ["ConnectionStrings:Tables"] = connectionString,
            ["Orleans:ClusterId"] = clusterId,
            ["Fleet:Streaming:Provider"] = "Memory",
        };
        foreach ((string key, string? value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new TablesHostFactory(settings);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orleans:Endpoints:SiloPort", FreePort());
        builder.UseSetting("Orleans:Endpoints:GatewayPort", FreePort());
        // Never let a slow machine turn a late event into a gap that holds readings back from the history.
        builder.UseSetting("Fleet:ReorderHoldTime", "00:05:00");
        builder.UseSetting("Fleet:TelemetryHistory:AttemptTimeout", "00:00:02");
        builder.UseSetting("Fleet:TelemetryHistory:MaxRetryAttempts", "1");
        builder.UseSetting("Fleet:TelemetryHistory:RetryBaseDelay", "00:00:00.050");
        builder.UseSetting("Fleet:TelemetryHistory:BreakerMinimumThroughput", "2");
        builder.UseSetting("Fleet:TelemetryHistory:BreakerSamplingDuration", "00:00:05");
        builder.UseSetting("Fleet:TelemetryHistory:BreakDuration", "00:00:05");
        // Failures are the point of several tests: keep the expected ones (retries, failed activations) out of the output.
        builder.UseSetting("Logging:LogLevel:Default", "Critical");
        builder.UseSetting("Logging:LogLevel:Polly", "Critical");
        builder.UseSetting("Logging:LogLevel:Orleans", "Critical");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
        if (withApiKey)
        {
            builder.UseSetting("Fleet:Security:ApiKeys:tests:Hash", Convert.ToHexStringLower(ApiKeyHash.Of(ApiKey)));
            builder.UseSetting("Fleet:Security:ApiKeys:tests:Scopes", "admin");
            builder.UseSetting("Fleet:Security:RateLimit:PermitsPerSecond", "0");
        }

        foreach ((string key, string? value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, ApiKey);
    }

    private static string FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
