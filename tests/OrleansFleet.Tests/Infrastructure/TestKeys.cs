using OrleansFleet.Hosting.Security;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// The API keys every test host is configured with (by hash, as production is): <see cref="All"/> holds every scope
/// and is what the test clients send; the others hold one scope each, for the authorization tests.
/// </summary>
internal static class TestKeys
{
    public const string All = "test-key-all-scopes";
    public const string Ingest = "test-key-ingest";
    public const string Read = "test-key-read";
    public const string Operate = "test-key-operate";

    /// <summary>The configuration of those keys.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        [$"{FleetSecurityOptions.ApiKeysKey}:tests:Hash"] = Hash(All),
        [$"{FleetSecurityOptions.ApiKeysKey}:tests:Scopes"] = "ingest read operate admin",
        [$"{FleetSecurityOptions.ApiKeysKey}:ingester:Hash"] = Hash(Ingest),
        [$"{FleetSecurityOptions.ApiKeysKey}:ingester:Scopes"] = "ingest",
        [$"{FleetSecurityOptions.ApiKeysKey}:reader:Hash"] = Hash(Read),
        [$"{FleetSecurityOptions.ApiKeysKey}:reader:Scopes"] = "read",
        [$"{FleetSecurityOptions.ApiKeysKey}:operator:Hash"] = Convert.ToBase64String(ApiKeyHash.Of(Operate)),
        [$"{FleetSecurityOptions.ApiKeysKey}:operator:Scopes"] = "operate",
    };

    /// <summary>The same settings as command-line arguments of the built host.</summary>
    public static IEnumerable<string> Arguments => Settings.SelectMany(setting => (string[])[$"--{setting.Key}", setting.Value]);

    private static string Hash(string key) => Convert.ToHexStringLower(ApiKeyHash.Of(key));
}
