using System.Globalization;

using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.TestingHost;
using OrleansFleet.Streaming.EventHubs.Hosting;

namespace OrleansFleet.Streaming.EventHubs.Tests;

/// <summary>
/// An in-process silo on the real Event Hubs provider path (<see cref="EventHubTelemetryStreamExtensions.AddEventHubTelemetryStreams"/>)
/// with the service replaced by a <see cref="FakeEventHub"/>: the real fleet grains consume it, device state and the
/// stream's checkpoints are in Azurite's tables, so a second cluster on the same hub, service id and tables is the
/// same deployment restarted.
/// </summary>
public sealed class EventHubCluster : IAsyncDisposable
{
    private EventHubCluster(InProcessTestCluster cluster) => Cluster = cluster;

    /// <summary>The cluster.</summary>
    public InProcessTestCluster Cluster { get; }

    /// <summary>The client's grain factory, to read the devices.</summary>
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Starts a one-silo cluster reading the deployment's hub.</summary>
    public static async Task<EventHubCluster> StartAsync(EventHubDeployment deployment, TimeSpan? maxEventDeliveryTime = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = deployment.ServiceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.WithFleetGrains(o => o.Checkpoint.Interval = TimeSpan.FromMilliseconds(200));
            // Device state survives the restart like the stream does: the official table provider on Azurite.
            silo.AddAzureTableGrainStorageAsDefault(o => o.TableServiceClient = new TableServiceClient(TestTables.ConnectionString));
            silo.Services.AddSingleton(deployment.Hub);
            silo.Services.AddKeyedSingleton<IEventHubSender>(TelemetryStream.ProviderName, deployment.Hub);
            silo.Services.AddKeyedSingleton<IEventHubSender>(EventHubTelemetryStreamExtensions.DeadLetterSenderKey, deployment.DeadLetters);
            silo.Services.Configure<EventHubTelemetryOptions>(o =>
            {
                // Parsed by the provider's options, never dialled: the fake factory opens no connection.
                o.ConnectionString = "Endpoint=sb://fake.servicebus.windows.net/;SharedAccessKeyName=fake;SharedAccessKey=ZmFrZQ==";
                o.Hub = deployment.Hub.Name;
                o.ConsumerGroup = "$Default";
                o.DeadLetterHub = deployment.DeadLetters.Name;
            });
            silo.AddEventHubTelemetryStreams(
                TelemetryStream.ProviderName,
                checkpoints => checkpoints.Configure(o =>
                {
                    o.TableServiceClient = new TableServiceClient(TestTables.ConnectionString);
                    o.TableName = deployment.CheckpointTable;
                }),
                streams =>
                {
                    streams.ConfigureDelegate(s => s.AddKeyedSingleton<IQueueAdapterFactory>(
                        TelemetryStream.ProviderName,
                        (sp, n) => TelemetryEventHubAdapterFactory.Create<FakeEventHubAdapterFactory>(sp, (string)n!)));
                    if (maxEventDeliveryTime is { } max)
                    {
                        streams.ConfigurePullingAgent(ob => ob.Configure(o => o.MaxEventDeliveryTime = max));
                    }
                });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new EventHubCluster(cluster);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

/// <summary>What outlives a cluster: the hubs, the service id, the checkpoint table.</summary>
public sealed class EventHubDeployment
{
    /// <summary>A new deployment with a telemetry hub of <paramref name="partitions"/> partitions.</summary>
    public EventHubDeployment(int partitions = 4)
    {
        var run = Guid.NewGuid().ToString("N")[..10];
        ServiceId = $"eh-{run}";
        CheckpointTable = $"ehcp{run}";
        Hub = new FakeEventHub("fleet-telemetry", partitions);
        DeadLetters = new FakeEventHub("fleet-telemetry-dead", 1);
    }

    /// <summary>The ServiceId, part of the checkpoint rows' key.</summary>
    public string ServiceId { get; }

    /// <summary>The checkpoint table.</summary>
    public string CheckpointTable { get; }

    /// <summary>The telemetry hub.</summary>
    public FakeEventHub Hub { get; }

    /// <summary>The dead-letter hub.</summary>
    public FakeEventHub DeadLetters { get; }

    /// <summary>The checkpointed offset of every partition that has one, read from the table the provider writes.</summary>
    public async Task<IReadOnlyDictionary<int, string>> CheckpointsAsync()
    {
        var table = new TableServiceClient(TestTables.ConnectionString).GetTableClient(CheckpointTable);
        var offsets = new Dictionary<int, string>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>())
            {
                if (row.RowKey.StartsWith("partition_", StringComparison.Ordinal) && row.GetString("Offset") is { Length: > 0 } offset)
                {
                    offsets[int.Parse(row.RowKey["partition_".Length..], CultureInfo.InvariantCulture)] = offset;
                }
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: nothing checkpointed.
        }

        return offsets;
    }

    /// <summary>Whether every non-empty partition is checkpointed at its newest event.</summary>
    public async Task<bool> FullyCheckpointedAsync()
    {
        var checkpoints = await CheckpointsAsync();
        return Enumerable.Range(0, Hub.PartitionIds.Length)
            .All(p => Hub.NewestOffset(p) is not { } newest || (checkpoints.TryGetValue(p, out var offset) && offset == newest));
    }
}
