namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>The cluster modes refuse to start without API keys, and the message names the setting.</summary>
public sealed class SecurityStartupTests
{
    [Fact]
    public async Task Local_cluster_mode_without_api_keys_stops_naming_the_key_setting()
    {
        string message = await StartupFailureAsync(new()
        {
            ["Fleet:Mode"] = "LocalCluster",
            ["ConnectionStrings:Tables"] = SharedAzurite.ConnectionString,
            ["Fleet:Streaming:Provider"] = "Memory",
            ["Orleans:ClusterId"] = $"no-keys-{Guid.NewGuid():N}",
        });

        Assert.Contains("Fleet:Mode=LocalCluster needs API keys: set Fleet:Security:ApiKeys:<name>:Hash", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_mode_without_api_keys_stops_naming_the_key_setting()
    {
        string message = await StartupFailureAsync(new()
        {
            ["Fleet:Mode"] = "Azure",
            ["Fleet:Storage:TableEndpoint"] = "https://account.table.core.windows.net",
            ["Fleet:Streaming:Provider"] = "Memory",
        });

        Assert.Contains("Fleet:Mode=Azure needs API keys: set Fleet:Security:ApiKeys:<name>:Hash", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embedded_mode_without_api_keys_refuses_to_listen_beyond_loopback()
    {
        string message = await StartupFailureAsync(new() { ["urls"] = "http://0.0.0.0:5080" });

        Assert.Contains("the embedded mode is open to every caller, so it listens on loopback only; 'http://0.0.0.0:5080'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_configured_in_plain_text_instead_of_its_hash_stops_the_host()
    {
        string message = await StartupFailureAsync(new()
        {
            ["Fleet:Security:ApiKeys:gateway:Hash"] = "my-secret-key",
            ["Fleet:Security:ApiKeys:gateway:Scopes"] = "ingest",
        });

        Assert.Contains("Fleet:Security:ApiKeys:gateway:Hash must be the SHA-256 of the key", message, StringComparison.Ordinal);
    }

    private static Task<string> StartupFailureAsync(Dictionary<string, string?> settings) =>
        StartupFailureTests.StartupFailureAsync(settings, withApiKey: false);
}
