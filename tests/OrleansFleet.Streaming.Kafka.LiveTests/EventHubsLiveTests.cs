using Orleans.TestingHost;

using OrleansFleet.Streaming.Kafka.Hosting;

namespace OrleansFleet.Streaming.Kafka.LiveTests;

/// <summary>
/// What the mock brokers cannot prove: TLS + SASL (connection string or managed identity) against a real Event Hubs
/// namespace, the service's acceptance of our producer settings (acks=all, idempotence), consumer-group commits and
/// the round trip through its Kafka endpoint. Needs FLEET_EVENTHUBS_NAMESPACE and FLEET_EVENTHUBS_HUB, plus either
/// FLEET_EVENTHUBS_CONNECTION_STRING or an Azure login (az login / managed identity) with the Data Sender and Data
/// Receiver roles; FLEET_EVENTHUBS_DEAD_LETTER_HUB defaults to "{hub}-dead".
/// </summary>
public sealed class EventHubsLiveTests
{
    private static string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{name} is not set: run ./scripts/test-eventhubs-live.sh with the documented variables (docs/event-hubs.md).");

    [Fact]
    public async Task Events_round_trip_through_the_event_hubs_kafka_endpoint()
    {
        var ns = Required("FLEET_EVENTHUBS_NAMESPACE");
        var hub = Required("FLEET_EVENTHUBS_HUB");
        var connectionString = Environment.GetEnvironmentVariable("FLEET_EVENTHUBS_CONNECTION_STRING") is { Length: > 0 } cs ? cs : null;
        var deadHub = Environment.GetEnvironmentVariable("FLEET_EVENTHUBS_DEAD_LETTER_HUB") is { Length: > 0 } d ? d : hub + "-dead";
        void EventHubs(EventHubsEndpointOptions o)
        {
            o.Namespace = ns;
            o.Hub = hub;
            o.ConnectionString = connectionString;
        }

        void Kafka(KafkaTelemetryStreamOptions o)
        {
            o.DeadLetterTopic = deadHub;
            o.ProduceTimeout = TimeSpan.FromSeconds(30);
        }

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddEventHubsTelemetryStreams(TelemetryStream.ProviderName, EventHubs, s => s.ConfigureKafka(Kafka)));
        builder.ConfigureClient(client => client.AddEventHubsTelemetryStreams(TelemetryStream.ProviderName, EventHubs, s => s.ConfigureKafka(Kafka)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var run = Guid.NewGuid().ToString("N")[..8];
            var devices = Enumerable.Range(0, 20).Select(i => $"live-{run}-{i}").ToArray();
            var provider = cluster.Client.GetStreamProvider(TelemetryStream.ProviderName);
            for (long seq = 1; seq <= 3; seq++)
            {
                foreach (var device in devices)
                {
                    var e = new TelemetryEvent(device, seq, DateTimeOffset.UtcNow, new Dictionary<string, double> { ["temperature"] = 20 + seq });
                    await provider.GetStream<TelemetryBatch>(StreamId.Create(TelemetryStream.Namespace, device)).OnNextAsync(new TelemetryBatch([e]));
                }
            }

            await Poll.UntilAsync(
                () => devices.All(d => LiveConsumerGrain.LastSeq.TryGetValue(d, out var last) && last == 3),
                TimeSpan.FromMinutes(2),
                "every device's events came back through Event Hubs");
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
