using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.EndToEnd;

/// <summary>
/// The local-cluster mode as real processes: two silos and the API deployable (an Orleans client), membership and
/// state on Azurite, the telemetry stream on Redis. One silo is killed with SIGKILL while the API keeps ingesting;
/// every acknowledged event is then applied once, in order, on the survivor; a new silo takes its share again.
/// </summary>
[Collection(nameof(FailoverTests))]
public sealed class FailoverTests
{
    private const int Devices = 24;
    private const int Rounds = 20;
    private const int KillAfter = 8;
    private const int Partitions = 8;

    private static string Redis => Environment.GetEnvironmentVariable("FLEET_TEST_REDIS")
        ?? throw new InvalidOperationException("FLEET_TEST_REDIS is not set: run the tests with ./scripts/test.sh, which starts Redis.");

    private static string Tables => Environment.GetEnvironmentVariable("FLEET_TEST_TABLES")
        ?? throw new InvalidOperationException("FLEET_TEST_TABLES is not set: run the tests with ./scripts/test.sh, which starts Azurite.");

    [Fact]
    public async Task Killing_a_silo_mid_ingest_loses_and_doubles_no_acknowledged_event_and_a_new_silo_takes_a_share()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string[] cluster = [
            "--Fleet:Mode", "LocalCluster", "--ConnectionStrings:Tables", Tables, "--ConnectionStrings:Redis", Redis,
            "--Orleans:ClusterId", $"failover-{run}", "--Orleans:ServiceId", $"failover-{run}",
            "--Fleet:Streaming:Redis:KeyPrefix", $"failover-{run}", "--Fleet:Streaming:Redis:Partitions", $"{Partitions}"];
        string[] silo = [.. cluster,
            // How fast the dead silo is declared dead (docs/architecture.md, Failover): probed every second, dead after
            // two missed probes; one vote suffices with two silos. The new owner of its partitions replays what it had
            // read but not acknowledged at once (the Redis consumer name belongs to the partition).
            "--Orleans:Membership:ProbeTimeout", "00:00:01", "--Orleans:Membership:NumMissedProbesLimit", "2",
            "--Orleans:Membership:NumVotesForDeathDeclaration", "1", "--Orleans:Membership:TableRefreshTimeout", "00:00:02"];
        var devices = Enumerable.Range(0, Devices).Select(i => $"failover-{run}-{i:D2}").ToArray();

        await using var first = await HostProcess.StartAsync(silo);
        await using var second = await HostProcess.StartAsync(silo);
        await using var api = await HostProcess.StartApiAsync(cluster);
        using var http = api.CreateClient();
        using var orleans = await ConnectAsync(run);
        var management = orleans.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var grains = orleans.Services.GetRequiredService<IGrainFactory>();

        // Ingest through the API; once round KillAfter is applied everywhere, kill the silo holding most devices, while
        // the ingest loop goes on (the API appends to Redis, which no silo death stops).
        for (var seq = 1; seq <= KillAfter; seq++)
        {
            await PostUntilAcceptedAsync(http, devices, seq);
        }

        foreach (var device in devices)
        {
            await Eventually.DeviceAsync(http, device, d => d.LastSeq == KillAfter, seconds: 60);
        }

        var placement = await PlacementAsync(management, grains, devices);
        var (victim, survivor) = placement.Count(p => p.Port == first.SiloPort) >= placement.Count(p => p.Port == second.SiloPort)
            ? (first, second) : (second, first);
        Assert.Contains(placement, p => p.Port == victim.SiloPort);

        var ingest = Task.Run(async () =>
        {
            for (var seq = KillAfter + 1; seq <= Rounds; seq++)
            {
                await PostUntilAcceptedAsync(http, devices, seq);
            }
        });
        await victim.KillAsync();
        await ingest.WaitAsync(TimeSpan.FromSeconds(60));

        // Exactly once, in order, on the survivor, from the state the devices persisted before the kill.
        foreach (var device in devices)
        {
            var view = await Eventually.DeviceAsync(http, device, d => d.LastSeq == Rounds && d.Pending == 0, seconds: 90);
            Assert.Equal((Rounds, 0L, 0L), ((int)view!.Counters.Applied, view.Counters.Gaps, view.Counters.Late));
        }

        await AssertHistoryAsync(http, devices, Rounds);
        var hosts = await Eventually.Async(() => management.GetHosts(onlyActive: true), h => h.Count == 1, seconds: 60, because: "the dead silo declared dead");
        Assert.Equal(survivor.SiloPort, hosts.Keys.Single().Endpoint.Port);
        await Eventually.Async(() => PlacementAsync(management, grains, devices), p => p.All(d => d.Port == survivor.SiloPort), because: "every device on the survivor");
        var agents = await RunningAgentsAsync(management);
        Assert.Equal(Partitions, Assert.Single(agents));

        // A new silo joins: the queue balancer gives it a share of the partitions, and new devices activate on it too.
        await using var third = await HostProcess.StartAsync(silo);
        var shares = await Eventually.Async(() => RunningAgentsAsync(management), a => a.Length == 2 && a.All(n => n > 0), seconds: 60, because: "partitions on both silos");
        Assert.Equal(Partitions, shares.Sum());

        await PostUntilAcceptedAsync(http, devices, Rounds + 1);
        foreach (var device in devices)
        {
            var view = await Eventually.DeviceAsync(http, device, d => d.LastSeq == Rounds + 1, seconds: 60);
            Assert.Equal(Rounds + 1, view!.Counters.Applied);
        }

        // Placement weighs the silos' load, so fresh devices go to the new silo too: add some until one is there.
        var batch = 0;
        await Eventually.Async(
            async () =>
            {
                var newcomers = Enumerable.Range(0, Devices).Select(i => $"failover-{run}-new{batch}-{i:D2}").ToArray();
                batch++;
                await PostUntilAcceptedAsync(http, newcomers, 1);
                foreach (var device in newcomers)
                {
                    await Eventually.DeviceAsync(http, device, d => d.LastSeq == 1, seconds: 60);
                }

                return await PlacementAsync(management, grains, newcomers);
            },
            p => p.Any(d => d.Port == third.SiloPort),
            seconds: 60,
            because: "new devices activated on the new silo");
    }

    /// <summary>Posts one round (one event per device with this seq) until the API answers 202: a resend is safe.</summary>
    private static async Task PostUntilAcceptedAsync(HttpClient client, string[] devices, int seq)
    {
        var body = "[" + string.Join(",", devices.Select(d =>
            $$$"""{"deviceId":"{{{d}}}","seq":{{{seq}}},"timestamp":"{{{DateTimeOffset.UtcNow.AddMinutes(-30).AddSeconds(seq):O}}}","metrics":{"temperature":{{{60 + seq}}}}}""")) + "]";
        await Eventually.Async(
            async () =>
            {
                try
                {
                    using var response = await client.PostAsync("/api/telemetry", new StringContent(body, Encoding.UTF8, "application/json"));
                    return response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return (HttpStatusCode)0;
                }
            },
            status => status == HttpStatusCode.Accepted,
            seconds: 30,
            because: $"round {seq} accepted");
    }

    /// <summary>Every reading of every device in the history once: rows are written before the checkpoint that covers them.</summary>
    private static async Task AssertHistoryAsync(HttpClient client, string[] devices, int rounds)
    {
        foreach (var device in devices)
        {
            var seqs = await Eventually.Async(
                async () => (await JsonSerializer.DeserializeAsync<JsonElement>(await client.GetStreamAsync($"/api/devices/{device}/telemetry?limit=1000")))
                    .GetProperty("items").EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()).ToArray(),
                s => s.Length >= rounds,
                because: $"the history of {device}");
            Assert.Equal(Enumerable.Range(1, rounds).Select(s => (long)s), seqs.Order());
        }
    }

    /// <summary>The silo port each device's activation is on, as the cluster's grain directory says.</summary>
    private static async Task<List<(string Device, int? Port)>> PlacementAsync(IManagementGrain management, IGrainFactory grains, string[] devices)
    {
        var placement = new List<(string, int?)>();
        foreach (var device in devices)
        {
            var address = await management.GetActivationAddress(grains.GetGrain<IDeviceGrain>(device));
            placement.Add((device, address?.Endpoint.Port));
        }

        return placement;
    }

    /// <summary>Per active silo, how many of the stream's partitions its pulling agents read.</summary>
    private static async Task<int[]> RunningAgentsAsync(IManagementGrain management) =>
        [.. (await management.SendControlCommandToProvider<PersistentStreamProvider>(
            TelemetryStream.ProviderName, (int)PersistentStreamProviderCommand.GetNumberRunningAgents)).Select(Convert.ToInt32)];

    /// <summary>The test's own Orleans client of the cluster, to ask the management grain where things are.</summary>
    private static async Task<IHost> ConnectAsync(string run)
    {
        var host = Host.CreateApplicationBuilder();
        host.UseOrleansClient(client => client
            .UseAzureStorageClustering(options => options.TableServiceClient = new TableServiceClient(Tables))
            .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = ($"failover-{run}", $"failover-{run}")));
        var app = host.Build();
        await app.StartAsync();
        return app;
    }
}

/// <summary>Runs <see cref="FailoverTests"/> alone: five processes and their timings should not share two cores with other tests.</summary>
[CollectionDefinition(nameof(FailoverTests), DisableParallelization = true)]
public sealed class FailoverCollection;
