using System.Text;

using Confluent.Kafka;

using Microsoft.Extensions.Logging.Abstractions;

namespace OrleansFleet.Streaming.Kafka.Tests;

/// <summary>The provider's parts on their own: offset tracking, partitioning, device-id resolution, settings, producer errors.</summary>
public sealed class ProviderPartsTests
{
    [Fact]
    public void The_commit_offset_only_passes_records_when_everything_read_before_them_is_done()
    {
        var tracker = new KafkaOffsetTracker();
        foreach (var offset in new long[] { 10, 11, 13, 14 })
        {
            tracker.Read(offset);
        }

        Assert.False(tracker.Done(11));
        Assert.Null(tracker.CommitOffset);
        Assert.False(tracker.Done(14));
        Assert.True(tracker.Done(10));
        Assert.Equal(12, tracker.CommitOffset);
        // 12 was never read (a hole in the offsets, e.g. a transaction marker): contiguity is over records read.
        Assert.True(tracker.Done(13));
        Assert.Equal(15, tracker.CommitOffset);
        Assert.Equal(0, tracker.Outstanding);
        Assert.False(tracker.Done(99));
    }

    [Fact]
    public async Task The_queue_mapper_names_the_partition_kafkas_murmur2_key_partitioner_picks()
    {
        const int Partitions = 7;
        await using var kafka = await KafkaMockCluster.StartAsync();
        var topic = KafkaTelemetryCluster.UniqueTopic("murmur");
        await kafka.CreateTopicAsync(topic, Partitions);
        var mapper = new PartitionedStreamQueueMapper("telemetry", Partitions, KafkaKeyPartitioner.PartitionOf);
        using var producer = kafka.Producer();
        var seen = new HashSet<int>();
        foreach (var device in Enumerable.Range(0, 60).Select(i => $"device-{i}").Append("chiller-7").Append("a").Append("ab").Append("abc"))
        {
            var delivered = await producer.ProduceAsync(topic, new Message<string?, string?> { Key = device, Value = "{}" });
            var queue = mapper.GetQueueForStream(StreamId.Create(TelemetryStream.Namespace, device));
            Assert.Equal(delivered.Partition.Value, PartitionedStreamQueueMapper.PartitionOf(queue));
            seen.Add(delivered.Partition.Value);
        }

        Assert.Equal(Partitions, seen.Count);
        // Kafka's own murmur2 test vector (Java client, UtilsTest): "21" hashes to -973932308.
        Assert.Equal(unchecked((uint)-973932308), KafkaKeyPartitioner.Murmur2("21"u8));
    }

    [Fact]
    public void The_device_id_comes_from_the_key_then_the_header_then_the_body()
    {
        const string Header = "iothub-connection-device-id";
        var body = Encoding.UTF8.GetBytes("""[{"deviceId":"from-body","seq":1,"timestamp":"2026-11-22T10:00:00Z","metrics":{}}]""");
        var headers = new Headers { { Header, "from-header"u8.ToArray() } };
        Assert.Equal("from-key", KafkaRecordDecoder.DeviceIdOf(new Message<byte[]?, byte[]?> { Key = "from-key"u8.ToArray(), Value = body, Headers = headers }, Header));
        Assert.Equal("from-header", KafkaRecordDecoder.DeviceIdOf(new Message<byte[]?, byte[]?> { Value = body, Headers = headers }, Header));
        Assert.Equal("from-body", KafkaRecordDecoder.DeviceIdOf(new Message<byte[]?, byte[]?> { Value = body }, Header));
        Assert.Null(KafkaRecordDecoder.DeviceIdOf(new Message<byte[]?, byte[]?> { Value = "nope"u8.ToArray() }, Header));

        // The key and the body disagree: the record is dead-lettered, never delivered to either device.
        var mismatch = KafkaRecordDecoder.Decode(new Message<byte[]?, byte[]?> { Key = "other"u8.ToArray(), Value = body }, Header, new TelemetryLimits(), DateTimeOffset.UtcNow);
        Assert.Equal(DeadLetter.KindDeviceMismatch, mismatch.DeadLetter?.Kind);
    }

    [Fact]
    public void Missing_settings_stop_startup_with_the_setting_named()
    {
        var validator = new KafkaTelemetryStreamOptionsValidator();
        var kafka = validator.Validate("telemetry", new KafkaTelemetryStreamOptions());
        Assert.Contains(kafka.Failures!, f => f.Contains("Fleet:Streaming:Kafka:BootstrapServers is required", StringComparison.Ordinal));

        var eventHubs = validator.Validate("telemetry", new KafkaTelemetryStreamOptions { EventHubs = new EventHubsEndpointOptions() });
        Assert.Contains(eventHubs.Failures!, f => f.Contains("Fleet:Streaming:EventHubs:Namespace is required", StringComparison.Ordinal));
        Assert.Contains(eventHubs.Failures!, f => f.Contains("Fleet:Streaming:EventHubs:Hub is required", StringComparison.Ordinal));

        var ok = validator.Validate("telemetry", new KafkaTelemetryStreamOptions { EventHubs = new EventHubsEndpointOptions { Namespace = "fleet-ns", Hub = "telemetry" } });
        Assert.True(ok.Succeeded, string.Join("; ", ok.Failures ?? []));
        var endpoint = new EventHubsEndpointOptions { Namespace = "fleet-ns" };
        Assert.Equal("fleet-ns.servicebus.windows.net:9093", endpoint.BootstrapServers);
        Assert.Equal("https://fleet-ns.servicebus.windows.net/.default", endpoint.TokenScope);
    }

    [Fact]
    public async Task A_write_no_broker_acknowledges_fails_as_stream_unavailable()
    {
        // Nothing listens on port 1: librdkafka retries until the produce timeout, then gives up.
        using var producer = new KafkaTelemetryProducer(
            new KafkaTelemetryStreamOptions { BootstrapServers = "127.0.0.1:1", ProduceTimeout = TimeSpan.FromSeconds(1) },
            NullLogger<KafkaTelemetryProducer>.Instance);
        var ex = await Assert.ThrowsAsync<TelemetryStreamUnavailableException>(() =>
            producer.ProduceAsync("chiller-7", [KafkaTelemetryCluster.Event("chiller-7", 1)]));
        Assert.Contains("did not acknowledge", ex.Message, StringComparison.Ordinal);
    }
}
