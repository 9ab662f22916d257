using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrleansFleet.Hosting.Security;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// The real host (API + embedded silo) in memory, through <see cref="WebApplicationFactory{TEntryPoint}"/>; one per
/// test collection. Its silo gets free ports, a long reorder hold time so a slow test machine never turns a late
/// event into a gap, and a long offline timeout so a long test (the fuzz run on a loaded machine) never sees an
/// offline alarm it did not cause. It is configured with <see cref="TestKeys"/> (per-key rate limit off) and its clients send
/// <see cref="TestKeys.All"/>.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly Lazy<Task<OpenApiContract>> _contract;

    /// <summary>The default host (xunit fixtures need exactly one public constructor).</summary>
    public ApiFactory()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>A host with extra settings, for tests of other run modes.</summary>
    internal ApiFactory(IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? services = null)
    {
        _settings = settings;
        _services = services;
        _contract = new(async () =>
        {
            using var client = CreateClient();
            return OpenApiContract.Parse(await client.GetStringAsync("/openapi/v1.json"));
        });
    }

    /// <summary>The host's own OpenAPI document, read once.</summary>
    internal Task<OpenApiContract> ContractAsync() => _contract.Value;

    /// <summary>A client whose every answer on a documented path is checked against the OpenAPI document.</summary>
    public HttpClient CreateValidatedClient() => CreateDefaultClient(new ContractValidatingHandler(ContractAsync));

    /// <summary>A client without a key (<see cref="HttpClient.DefaultRequestHeaders"/> are the test's to set).</summary>
    public HttpClient CreateClientWithoutKey()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Remove(ApiKeyAuthenticationHandler.HeaderName);
        return client;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, TestKeys.All);
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orleans:Endpoints:SiloPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:Endpoints:GatewayPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Fleet:ReorderHoldTime", "00:05:00");
        builder.UseSetting("Fleet:OfflineAfter", "1.00:00:00");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting($"{FleetSecurityOptions.SectionName}:RateLimit:PermitsPerSecond", "0");
        foreach (var (key, value) in TestKeys.Settings.Concat(_settings))
        {
            builder.UseSetting(key, value);
        }

        if (_services is { } services)
        {
            // The silo is co-hosted: its services are the host's, so grain call filters registered here apply to it.
            builder.ConfigureTestServices(services);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}
