using System.Net;
using System.Text;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.EndToEnd;

/// <summary>
/// Two built hosts joined into one cluster through Redis membership and reminders: the documented alternative to Azure
/// Storage clustering, chosen with Orleans' own provider settings on top of the embedded mode.
/// </summary>
public sealed class LocalClusterTests
{
    private static string Redis => Environment.GetEnvironmentVariable("FLEET_TEST_REDIS")
        ?? throw new InvalidOperationException("FLEET_TEST_REDIS is not set: run the tests with ./scripts/test.sh, which starts Redis.");

    [Fact]
    public async Task Two_silos_on_redis_membership_serve_one_fleet_whichever_one_is_asked()
    {
        string[] cluster = ["--ConnectionStrings:Redis", Redis,
            "--Orleans:Clustering:ProviderType", "Redis", "--Orleans:Clustering:ConnectionName", "Redis",
            "--Orleans:Reminders:ProviderType", "Redis", "--Orleans:Reminders:ConnectionName", "Redis",
            "--Orleans:ClusterId", $"test-{Guid.NewGuid():N}"];
        await using var first = await HostProcess.StartAsync(cluster);
        await using var second = await HostProcess.StartAsync(cluster);
        using var toFirst = first.CreateClient();
        using var toSecond = second.CreateClient();

        var devices = Enumerable.Range(0, 20).Select(i => $"cluster-{i:D2}").ToList();
        var body = "[" + string.Join(",", devices.Select(d => $$$"""{"deviceId":"{{{d}}}","seq":1,"timestamp":"{{{DateTimeOffset.UtcNow.AddSeconds(-1):O}}}","metrics":{"temperature":95}}""")) + "]";
        var posted = await toFirst.PostAsync("/api/telemetry", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        // Each device grain has one activation in the whole cluster, on either silo; both hosts see the same one.
        foreach (var device in devices)
        {
            var fromSecond = await Eventually.DeviceAsync(toSecond, device, d => d.LastSeq == 1, seconds: 60);
            var fromFirst = await Eventually.DeviceAsync(toFirst, device, d => d.LastSeq == 1);
            Assert.Equal(fromFirst!.ActiveAlarms.Single().Id, fromSecond!.ActiveAlarms.Single().Id);
        }
    }
}
