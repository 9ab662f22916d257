using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>
/// The real host in its Azure Tables mode (<c>Fleet:Storage:Provider=AzureTables</c>) against the given account,
/// with free silo ports and breaker/retry timings short enough for a test to watch the breaker open and close.
/// </summary>
internal sealed class TablesHostFactory(string connectionString) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Fleet:Storage:Provider", "AzureTables");
        builder.UseSetting("ConnectionStrings:Tables", connectionString);
        builder.UseSetting("Fleet:Cluster:SiloPort", FreePort());
        builder.UseSetting("Fleet:Cluster:GatewayPort", FreePort());
        // Never let a slow machine turn a late event into a gap that holds readings back from the history.
        builder.UseSetting("Fleet:ReorderHoldTime", "00:05:00");
        builder.UseSetting("Fleet:TelemetryHistory:AttemptTimeout", "00:00:02");
        builder.UseSetting("Fleet:TelemetryHistory:MaxRetryAttempts", "1");
        builder.UseSetting("Fleet:TelemetryHistory:RetryBaseDelay", "00:00:00.050");
        builder.UseSetting("Fleet:TelemetryHistory:BreakerMinimumThroughput", "2");
        builder.UseSetting("Fleet:TelemetryHistory:BreakerSamplingDuration", "00:00:05");
        builder.UseSetting("Fleet:TelemetryHistory:BreakDuration", "00:00:05");
        // Failures are the point of these tests: keep the expected ones (retries, failed activations) out of the output.
        builder.UseSetting("Logging:LogLevel:Default", "Critical");
        builder.UseSetting("Logging:LogLevel:Polly", "Critical");
        builder.UseSetting("Logging:LogLevel:Orleans", "Critical");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
    }

    private static string FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
