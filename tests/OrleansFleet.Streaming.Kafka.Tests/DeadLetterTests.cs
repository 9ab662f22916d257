using System.Text;

using Confluent.Kafka;

namespace OrleansFleet.Streaming.Kafka.Tests;

/// <summary>Records that cannot be delivered move to the dead-letter topic and their partition keeps flowing.</summary>
public sealed class DeadLetterTests
{
    [Fact]
    public async Task A_poison_record_lands_in_the_dead_letter_topic_with_its_reason_and_the_partition_keeps_flowing()
    {
        const int Partitions = 4;
        await using var kafka = await KafkaMockCluster.StartAsync();
        var topic = KafkaTelemetryCluster.UniqueTopic("dead");
        await kafka.CreateTopicAsync(topic, Partitions);
        await kafka.CreateTopicAsync(topic + "-dead", 1);
        var device = $"dl-{Guid.NewGuid():N}"[..16];
        var partition = new TopicPartition(topic, 2);

        using (var producer = kafka.Producer())
        {
            // In one partition: a valid event, a record that is not JSON, one that breaks a rule, then a valid event.
            await producer.ProduceAsync(partition, new Message<string?, string?> { Key = device, Value = $$$"""{"deviceId":"{{{device}}}","seq":1,"timestamp":"2026-11-22T10:00:00Z","metrics":{"t":1}}""" });
            await producer.ProduceAsync(partition, new Message<string?, string?> { Key = device, Value = "{not json", Headers = new Headers { { "trace", Encoding.UTF8.GetBytes("abc") } } });
            await producer.ProduceAsync(partition, new Message<string?, string?> { Key = device, Value = $$$"""{"deviceId":"{{{device}}}","seq":0,"timestamp":"2026-11-22T10:00:00Z","metrics":{"t":1}}""" });
            await producer.ProduceAsync(partition, new Message<string?, string?> { Key = device, Value = $$$"""{"deviceId":"{{{device}}}","seq":2,"timestamp":"2026-11-22T10:00:01Z","metrics":{"t":2}}""" });
        }

        await using var cluster = await KafkaTelemetryCluster.StartAsync(kafka, topic);
        await Poll.UntilAsync(() => StreamAssert.AllReached([device], 2), TimeSpan.FromSeconds(30), "the events around the poison records applied");
        StreamAssert.AppliedInOrder([device], 2);

        var dead = kafka.ReadAll(topic + "-dead", 1, TimeSpan.FromSeconds(10));
        Assert.Equal(2, dead.Count);
        Assert.All(dead, d => Assert.Equal(device, d.Message.Key));
        Assert.Equal("{not json", dead[0].Message.Value);
        Assert.Contains("not valid telemetry", Header(dead[0], DeadLetter.ReasonField), StringComparison.Ordinal);
        Assert.Equal(DeadLetter.KindInvalid, Header(dead[0], DeadLetter.KindField));
        Assert.Equal($"{topic}/2", Header(dead[0], DeadLetter.SourceField));
        Assert.Equal("1", Header(dead[0], DeadLetter.SourceIdField));
        Assert.Equal("abc", Header(dead[0], "trace"));
        Assert.Contains("$.seq", Header(dead[1], DeadLetter.ReasonField), StringComparison.Ordinal);

        // The poison records count as done: the group's offset passes them.
        await Poll.UntilAsync(() => kafka.Committed(topic, cluster.Group, Partitions)[2] == 4, TimeSpan.FromSeconds(20), "partition 2 committed past the poison records");
    }

    private static string Header(ConsumeResult<string?, string?> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
}
