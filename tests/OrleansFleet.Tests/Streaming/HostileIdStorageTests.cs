using System.Net;
using System.Text;
using Azure.Data.Tables;
using OrleansFleet.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrleansFleet.Tests.Streaming;

/// <summary>
/// The local-cluster storage (Azure Tables on Azurite for grain state and history, Redis Streams) against hostile ids:
/// a rejected id never becomes part of a table's PartitionKey or RowKey, nor of a Redis key. A valid id sent in the
/// same run does reach the table keys, so the scan is shown to see what it looks for.
/// </summary>
public sealed class HostileIdStorageTests
{
    private static string Setting(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run the tests with ./scripts/test.sh, which starts Redis and Azurite.");

    [Fact]
    public async Task Rejected_ids_never_reach_a_table_key_or_a_redis_key()
    {
        var marker = $"zq{Guid.NewGuid():N}";
        var tables = Setting("FLEET_TEST_TABLES");
        var redis = Setting("FLEET_TEST_REDIS");
        await using var factory = new ApiFactory(new Dictionary<string, string>
        {
            ["Fleet:Mode"] = "LocalCluster",
            ["ConnectionStrings:Tables"] = tables,
            ["ConnectionStrings:Redis"] = redis,
            // Neither the prefix nor the cluster id holds the marker: any key that does holds a device id.
            ["Fleet:Streaming:Redis:KeyPrefix"] = $"fleet-test:{Guid.NewGuid():N}",
            ["Orleans:ClusterId"] = $"hostile-{Guid.NewGuid():N}",
        });
        using var client = factory.CreateClient();
        string[] hostile = [$"{marker}/a", $"{marker}\\b", $"{marker}#c", $"{marker}?d", $"{marker}\u0001e", $"{marker}\te", $"{marker} f", $"{marker}%g", $"{marker}{new string('h', 128)}"];
        var ts = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O");
        foreach (var id in hostile)
        {
            var body = $$$"""[{"deviceId":{{{System.Text.Json.JsonSerializer.Serialize(id)}}},"seq":1,"timestamp":"{{{ts}}}","metrics":{"t":1}}]""";
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/telemetry", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync($"/api/devices/{Uri.EscapeDataString(id)}/rules", new StringContent("[]", Encoding.UTF8, "application/json"))).StatusCode);
        }

        // The positive control: a valid id with the marker, applied, so its grain state row exists.
        var valid = $"{marker}-ok";
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/telemetry", new StringContent(
            $$$"""[{"deviceId":"{{{valid}}}","seq":1,"timestamp":"{{{ts}}}","metrics":{"t":1}}]""", Encoding.UTF8, "application/json"))).StatusCode);
        await Eventually.DeviceAsync(client, valid, d => d.LastSeq >= 1, seconds: 60);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/api/devices/{valid}/rules", new StringContent("[]", Encoding.UTF8, "application/json"))).StatusCode);

        var keys = new List<string>();
        var service = new TableServiceClient(tables);
        await foreach (var table in service.QueryAsync())
        {
            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                keys.Add($"{table.Name}: {entity.PartitionKey} | {entity.RowKey}");
            }
        }

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        foreach (var endpoint in connection.GetEndPoints())
        {
            keys.AddRange(connection.GetServer(endpoint).Keys(pattern: $"*{marker}*").Select(key => $"redis: {key}"));
        }

        var withMarker = keys.Where(key => key.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Contains(withMarker, key => key.Contains(valid, StringComparison.Ordinal) && !key.StartsWith("redis", StringComparison.Ordinal));
        Assert.All(withMarker, key => Assert.DoesNotContain(hostile, id => key.Contains(id, StringComparison.Ordinal) || key.Contains(Uri.EscapeDataString(id), StringComparison.Ordinal)));
        Assert.All(withMarker, key => Assert.Contains(valid, key, StringComparison.Ordinal));
    }
}
