using System.Net;
using System.Text;
using OrleansFleet.Testing;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Streaming;

/// <summary>
/// The host with <c>Fleet:Streaming:Provider=Kafka</c>, against librdkafka's mock brokers: API → Kafka topic → device
/// grains. A 202 is only sent once the brokers acknowledged the records (acks=all).
/// </summary>
public sealed class KafkaIngestionTests
{
    private static ApiFactory KafkaHost(KafkaMockCluster kafka, string topic) => new(new Dictionary<string, string>
    {
        ["Fleet:Streaming:Provider"] = "Kafka",
        ["Fleet:Streaming:Kafka:BootstrapServers"] = kafka.BootstrapServers,
        ["Fleet:Streaming:Kafka:Topic"] = topic,
        ["Fleet:Streaming:Kafka:DeadLetterTopic"] = topic + "-dead",
    });

    private static StringContent Round(IEnumerable<string> devices, int seq) => new(
        "[" + string.Join(",", devices.Select(d => $$$"""{"deviceId":"{{{d}}}","seq":{{{seq}}},"timestamp":"{{{DateTimeOffset.UtcNow.AddHours(-1).AddSeconds(seq):O}}}","metrics":{"temperature":{{{seq % 100}}}}}""")) + "]",
        Encoding.UTF8,
        "application/json");

    [Fact]
    public async Task Posted_events_are_acknowledged_by_kafka_then_applied_in_seq_order()
    {
        await using var kafka = await KafkaMockCluster.StartAsync();
        var topic = $"api-{Guid.NewGuid():N}";
        await kafka.CreateTopicAsync(topic, 4);
        await using var factory = KafkaHost(kafka, topic);
        var client = factory.CreateClient();
        var devices = Enumerable.Range(0, 200).Select(i => $"kafka-{i:D3}").ToList();

        // Three rounds sent concurrently, so they may reach the topic in any order; seq restores it.
        var rounds = Enumerable.Range(1, 3).Select(seq => client.PostAsync("/api/telemetry", Round(devices, seq)));
        Assert.All(await Task.WhenAll(rounds), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        // Every accepted event is in the topic: one record per device and request.
        Assert.Equal(devices.Count * 3, kafka.Ends(topic, 4).Sum());

        foreach (var device in devices)
        {
            var view = await Eventually.DeviceAsync(client, device, d => d.LastSeq == 3 && d.Pending == 0, seconds: 60);
            Assert.Equal(new DeviceCounters(3, 0, 0), view!.Counters);
        }
    }

    [Fact]
    public void Without_bootstrap_servers_the_host_refuses_to_start_and_names_the_setting()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["Fleet:Streaming:Provider"] = "Kafka" });
        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Fleet:Streaming:Kafka:BootstrapServers is required", ex.ToString(), StringComparison.Ordinal);
    }
}
