namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>Each run mode stops the host at start when a setting it needs is missing, and the message names it.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task Local_cluster_mode_without_a_storage_account_stops_naming_both_ways_to_set_one()
    {
        string message = await StartupFailureAsync(new()
        {
            ["Fleet:Mode"] = "LocalCluster",
            ["Fleet:Streaming:Provider"] = "Memory",
        });

        Assert.Contains("Fleet:Mode is LocalCluster", message, StringComparison.Ordinal);
        Assert.Contains("Orleans:Clustering", message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Tables", message, StringComparison.Ordinal);
        Assert.Contains("Fleet:Storage:TableEndpoint", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_cluster_mode_without_redis_stops_naming_the_redis_connection_string()
    {
        string message = await StartupFailureAsync(new()
        {
            ["Fleet:Mode"] = "LocalCluster",
            ["ConnectionStrings:Tables"] = SharedAzurite.ConnectionString,
            ["Orleans:ClusterId"] = $"no-redis-{Guid.NewGuid():N}",
        });

        Assert.Contains("ConnectionStrings:Redis", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_mode_without_a_storage_account_stops_naming_the_table_endpoint()
    {
        string message = await StartupFailureAsync(new()
        {
            ["Fleet:Mode"] = "Azure",
            // The stream transport has its own settings and messages; here only the storage account is missing.
            ["Fleet:Streaming:Provider"] = "Memory",
        });

        Assert.Contains("Fleet:Mode is Azure", message, StringComparison.Ordinal);
        Assert.Contains("Fleet:Storage:TableEndpoint", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_mode_without_the_Event_Hubs_settings_stops_naming_each_one()
    {
        string message = await StartupFailureAsync(new()
        {
            ["Fleet:Mode"] = "Azure",
            // The storage account is there (Azurite); only the mode's stream, Event Hubs, is not configured.
            ["ConnectionStrings:Tables"] = SharedAzurite.ConnectionString,
        });

        Assert.Contains("Fleet:Streaming:EventHubs:Namespace (or Fleet:Streaming:EventHubs:ConnectionString)", message, StringComparison.Ordinal);
        Assert.Contains("Fleet:Streaming:EventHubs:Hub", message, StringComparison.Ordinal);
        Assert.Contains("Fleet:Streaming:EventHubs:ConsumerGroup", message, StringComparison.Ordinal);
        Assert.Contains("Fleet:Streaming:EventHubs:DeadLetterHub", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_mode_stops_naming_the_setting_and_the_modes()
    {
        string message = await StartupFailureAsync(new() { ["Fleet:Mode"] = "Cloud" });

        Assert.Contains("Fleet:Mode 'Cloud' is not a run mode", message, StringComparison.Ordinal);
        Assert.Contains("Embedded, LocalCluster, Azure", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_settings_of_the_previous_release_stop_the_host_naming_their_orleans_replacement()
    {
        string message = await StartupFailureAsync(new()
        {
            ["Fleet:Cluster:Provider"] = "Redis",
            ["Fleet:Cluster:AdvertisedAddress"] = "127.0.0.1",
        });

        Assert.Contains("Fleet:Cluster:Provider is no longer read: set Orleans:Clustering:ProviderType", message, StringComparison.Ordinal);
        Assert.Contains("Fleet:Cluster:AdvertisedAddress is no longer read: set Orleans:Endpoints:AdvertisedIPAddress", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_with_a_bad_setting_stops_before_its_silo_joins_the_cluster()
    {
        string membership = SharedAzurite.UniqueTableName("Members");
        string clusterId = $"refused-{Guid.NewGuid():N}";
        try
        {
            string message = await StartupFailureAsync(new()
            {
                ["Fleet:Mode"] = "LocalCluster",
                ["ConnectionStrings:Tables"] = SharedAzurite.ConnectionString,
                ["Fleet:Streaming:Provider"] = "Memory",
                ["Orleans:ClusterId"] = clusterId,
                ["Orleans:Clustering:TableName"] = membership,
                ["Fleet:Cluster:SiloPort"] = "11111",
            });

            Assert.Contains("Fleet:Cluster:SiloPort is no longer read", message, StringComparison.Ordinal);
            await SharedAzurite.Table(membership).CreateIfNotExistsAsync();
            Assert.Empty(await SharedAzurite.Table(membership).QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == clusterId).ToListAsync());
        }
        finally
        {
            await SharedAzurite.Table(membership).DeleteAsync();
        }
    }

    [Fact]
    public async Task Embedded_mode_starts_with_no_settings_at_all()
    {
        await using TablesHostFactory host = new(new Dictionary<string, string?>());
        using HttpClient client = host.CreateClient();

        await Poll.UntilAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "the embedded host ready");
    }

    /// <summary>Starts the host, expects it to fail, and returns every message in the failure.</summary>
    internal static async Task<string> StartupFailureAsync(Dictionary<string, string?> settings, bool withApiKey = true)
    {
        await using TablesHostFactory host = new(settings, withApiKey);
        Exception failure = Assert.ThrowsAny<Exception>(() => host.CreateClient().Dispose());
        return string.Join(" | ", Flatten(failure).Select(e => e.Message));
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        IEnumerable<Exception> inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (Exception nested in inner.SelectMany(Flatten))
        {
            yield return nested;
        }
    }
}
