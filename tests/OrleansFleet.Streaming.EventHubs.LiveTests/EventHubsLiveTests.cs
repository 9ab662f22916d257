using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Producer;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansFleet.Streaming.EventHubs.Hosting;

namespace OrleansFleet.Streaming.EventHubs.LiveTests;

/// <summary>
/// The production path against a real namespace: Orleans' Event Hubs provider over AMQP with the fleet's adapter,
/// authentication (connection string or DefaultAzureCredential), the service's partition hashing of device ids, the
/// Azure Table checkpoints moved by the barrier, and the dead-letter hub. Run by scripts/test-eventhubs-live.sh.
/// </summary>
public sealed class EventHubsLiveTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set (see docs/event-hubs.md).");

    private static string? Optional(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    [Fact]
    public async Task Events_sent_per_device_through_a_real_hub_are_applied_once_in_order_checkpointed_and_a_poison_is_dead_lettered()
    {
        var options = new EventHubTelemetryOptions
        {
            Namespace = Setting("FLEET_EVENTHUBS_NAMESPACE"),
            ConnectionString = Optional("FLEET_EVENTHUBS_CONNECTION_STRING"),
            Hub = Setting("FLEET_EVENTHUBS_HUB"),
            ConsumerGroup = Optional("FLEET_EVENTHUBS_CONSUMER_GROUP") ?? "$Default",
            DeadLetterHub = Optional("FLEET_EVENTHUBS_DEAD_LETTER_HUB") ?? Setting("FLEET_EVENTHUBS_HUB") + "-dead",
        };
        var tables = Setting("FLEET_TEST_TABLES");
        var run = Guid.NewGuid().ToString("N")[..8];
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = $"live-{run}";
        builder.ConfigureSilo((_, silo) =>
        {
            silo.WithFleetGrains(o => o.Checkpoint.Interval = TimeSpan.FromSeconds(1));
            silo.Services.Configure<EventHubTelemetryOptions>(o =>
            {
                o.Namespace = options.Namespace;
                o.ConnectionString = options.ConnectionString;
                o.Hub = options.Hub;
                o.ConsumerGroup = options.ConsumerGroup;
                o.DeadLetterHub = options.DeadLetterHub;
            });
            silo.AddEventHubTelemetryStreams(TelemetryStream.ProviderName, checkpoints => checkpoints.Configure(o =>
            {
                o.TableServiceClient = new TableServiceClient(tables);
                o.TableName = $"livecp{run}";
            }));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        await using var _ = cluster;
        await using var producer = options.ConnectionString is { } cs
            ? new EventHubProducerClient(cs, options.Hub)
            : new EventHubProducerClient(options.FullyQualifiedNamespace, options.Hub, new DefaultAzureCredential());
        var appender = new EventHubTelemetryAppender(new EventHubProducerSender(producer), TimeSpan.FromSeconds(1));
        var devices = Enumerable.Range(0, 50).Select(i => $"live-{run}-{i}").ToArray();
        for (long seq = 1; seq <= 10; seq++)
        {
            var round = seq;
            await appender.AppendAsync([new PartitionAppend(0, [.. devices.Select(d => TelemetryTestCluster.Event(d, round))])], CancellationToken.None);
        }

        var poisonDevice = $"live-{run}-poison";
        await producer.SendAsync([new EventData(BinaryData.FromString("{not json"))], new SendEventOptions { PartitionKey = poisonDevice });

        await Poll.UntilAsync(() => StreamAssert.AllReachedAsync(cluster.Client, devices, 10), Deadline, "every device applied seq 10");
        await StreamAssert.AppliedInOrderAsync(cluster.Client, devices, 10);
        await Poll.UntilAsync(
            async () => await new TableServiceClient(tables).GetTableClient($"livecp{run}").QueryAsync<TableEntity>().AnyAsync(),
            Deadline,
            "a checkpoint row written by the barrier");

        await using var deadLetters = options.ConnectionString is { } dcs
            ? new EventHubConsumerClient(EventHubConsumerClient.DefaultConsumerGroupName, dcs, options.DeadLetterHub)
            : new EventHubConsumerClient(EventHubConsumerClient.DefaultConsumerGroupName, options.FullyQualifiedNamespace, options.DeadLetterHub, new DefaultAzureCredential());
        using var timeout = new CancellationTokenSource(Deadline);
        await foreach (var received in deadLetters.ReadEventsAsync(startReadingAtEarliestEvent: true, cancellationToken: timeout.Token))
        {
            if (received.Data is { } letter && letter.PartitionKey == poisonDevice)
            {
                Assert.Equal(DeadLetter.KindInvalid, letter.Properties[DeadLetter.KindField]);
                return;
            }
        }
    }
}
