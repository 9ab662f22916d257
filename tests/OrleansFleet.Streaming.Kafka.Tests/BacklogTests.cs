using System.Text;

using Confluent.Kafka;

namespace OrleansFleet.Streaming.Kafka.Tests;

/// <summary>Records written by other producers before any silo ran, naming the device in each documented way.</summary>
public sealed class BacklogTests
{
    [Fact]
    public async Task A_new_consumer_group_reads_the_backlog_with_device_ids_from_key_header_or_body()
    {
        const int Partitions = 4;
        await using var kafka = await KafkaMockCluster.StartAsync();
        var topic = KafkaTelemetryCluster.UniqueTopic("backlog");
        await kafka.CreateTopicAsync(topic, Partitions);
        var run = Guid.NewGuid().ToString("N")[..8];
        var devices = Enumerable.Range(0, 12).Select(i => $"bl-{run}-{i}").ToArray();

        using (var producer = kafka.Producer())
        {
            foreach (var (device, i) in devices.Select((d, i) => (d, i)))
            {
                // Key = device id (the documented way); or, like IoT Hub's routing, no key but the device-id header;
                // or neither, and the body's deviceId. Both body shapes: one event object, then an array.
                var one = $$$"""{"deviceId":"{{{device}}}","seq":1,"timestamp":"2026-11-22T10:00:00Z","metrics":{"temperature":71.5}}""";
                var two = $$$"""[{"deviceId":"{{{device}}}","seq":2,"timestamp":"2026-11-22T10:00:01Z","metrics":{}},{"deviceId":"{{{device}}}","seq":3,"timestamp":"2026-11-22T10:00:02Z","status":"shutdown"}]""";
                foreach (var value in new[] { one, two })
                {
                    var message = (i % 3) switch
                    {
                        0 => new Message<string?, string?> { Key = device, Value = value },
                        1 => new Message<string?, string?> { Value = value, Headers = new Headers { { "iothub-connection-device-id", Encoding.UTF8.GetBytes(device) } } },
                        _ => new Message<string?, string?> { Value = value },
                    };
                    // Unkeyed records go to one fixed partition here, so a device's two records keep their order.
                    await producer.ProduceAsync(new TopicPartition(topic, i % Partitions), message);
                }
            }
        }

        await using var cluster = await KafkaTelemetryCluster.StartAsync(kafka, topic);
        await Poll.UntilAsync(() => StreamAssert.AllReached(devices, 3), TimeSpan.FromSeconds(30), "the backlog delivered");
        StreamAssert.AppliedInOrder(devices, 3);
    }
}
