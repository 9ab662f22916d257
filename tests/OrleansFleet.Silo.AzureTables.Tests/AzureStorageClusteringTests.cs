using System.Net;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>
/// Two hosts in the local-cluster mode join one Orleans cluster through Azure Table membership
/// (<c>Microsoft.Orleans.Clustering.AzureStorage</c>) on Azurite, and keep reminders in the Azure table reminder
/// service (<c>Microsoft.Orleans.Reminders.AzureStorage</c>).
/// </summary>
public sealed class AzureStorageClusteringTests : IAsyncLifetime
{
    private readonly string _clusterId = $"cluster-{Guid.NewGuid():N}";
    private readonly string _membership = SharedAzurite.UniqueTableName("Members");
    private readonly string _reminders = SharedAzurite.UniqueTableName("Reminders");
    private readonly string _state = SharedAzurite.UniqueTableName("State");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (string table in new[] { _membership, _reminders, _state })
        {
            await SharedAzurite.Table(table).DeleteAsync();
        }
    }

    [Fact]
    public async Task Two_hosts_join_one_cluster_through_the_azure_table_membership_and_serve_one_fleet()
    {
        await using TablesHostFactory first = Host();
        await using TablesHostFactory second = Host();
        using HttpClient toFirst = first.CreateClient();
        using HttpClient toSecond = second.CreateClient();

        // Each silo sees the other as active: membership went through the table, the only thing the two share.
        foreach (TablesHostFactory host in new[] { first, second })
        {
            IManagementGrain management = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
            await Poll.UntilAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, TimeSpan.FromSeconds(60), "both silos active in the membership");
        }

        List<TableEntity> active = [];
        await foreach (TableEntity row in SharedAzurite.Table(_membership).QueryAsync<TableEntity>(e => e.PartitionKey == _clusterId))
        {
            if (row.GetString("Status") == "Active")
            {
                active.Add(row);
            }
        }

        Assert.Equal(2, active.Count);

        // A device has one activation in the cluster, whichever host is asked.
        string device = $"clustered-{Guid.NewGuid():N}";
        string body = $$$"""[{"deviceId":"{{{device}}}","seq":1,"timestamp":"{{{DateTimeOffset.UtcNow.AddSeconds(-1):O}}}","metrics":{"temperature":20}}]""";
        using HttpResponseMessage posted = await toFirst.PostAsync("/api/telemetry", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await Poll.UntilAsync(
            async () =>
            {
                using HttpResponseMessage read = await toSecond.GetAsync($"/api/devices/{device}/telemetry");
                string text = await read.Content.ReadAsStringAsync();
                Assert.True(read.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{read.StatusCode}: {text}");
                return text.Contains("\"seq\":1", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30),
            "the reading applied and visible through the other host");
    }

    [Fact]
    public async Task A_reminder_registered_on_the_cluster_is_kept_in_the_azure_reminder_table()
    {
        await using TablesHostFactory host = Host();
        string key = $"probe-{Guid.NewGuid():N}";

        await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>(key).RegisterAsync("watch");

        List<TableEntity> rows = [];
        await foreach (TableEntity row in SharedAzurite.Table(_reminders).QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        TableEntity reminder = Assert.Single(rows);
        Assert.Contains(key, reminder.RowKey, StringComparison.Ordinal);
        Assert.Equal("watch", reminder.GetString("ReminderName"));
    }

    private TablesHostFactory Host() =>
        TablesHostFactory.LocalCluster(SharedAzurite.ConnectionString, _clusterId, new Dictionary<string, string?>
        {
            ["Orleans:Clustering:TableName"] = _membership,
            ["Orleans:Reminders:TableName"] = _reminders,
            ["Orleans:GrainStorage:Default:TableName"] = _state,
            ["Orleans:GrainStorage:PubSubStore:TableName"] = _state,
        });
}
