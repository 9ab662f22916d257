using System.Diagnostics;
using System.Text.RegularExpressions;

using Confluent.Kafka;

namespace OrleansFleet.Testing;

/// <summary>
/// A Kafka cluster for tests: librdkafka's built-in mock brokers (real Kafka protocol on loopback TCP, with partitions,
/// consumer groups, committed offsets and the admin API), in this process. Setting <c>test.mock.num.brokers</c> on a
/// client makes librdkafka ignore its bootstrap address and start that many brokers on free 127.0.0.1 ports instead;
/// with <c>debug=mock</c> it logs their addresses, which are read from the client's log. The brokers live as long as
/// that client (held here), so they outlive any silo a test kills. This is librdkafka 2.16 from Confluent.Kafka's own
/// package; Debian's kcat (librdkafka 2.0) hosts the same mock for the manual run (scripts/run-kafka-mock.sh), but its
/// older mock cannot create topics through the admin API.
/// </summary>
public sealed partial class KafkaMockCluster : IAsyncDisposable
{
    private readonly IProducer<Null, Null> _host;

    private KafkaMockCluster(IProducer<Null, Null> host, string bootstrapServers)
    {
        _host = host;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The brokers' addresses, <c>127.0.0.1:port,…</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Starts a mock cluster of three brokers; fails within 20 s if librdkafka does not report one.</summary>
    public static async Task<KafkaMockCluster> StartAsync()
    {
        var bootstrap = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:1", Debug = "mock" };
        config.Set("test.mock.num.brokers", "3");
        var host = new ProducerBuilder<Null, Null>(config)
            .SetLogHandler((_, m) =>
            {
                if (BootstrapLine().Match(m.Message) is { Success: true } match)
                {
                    bootstrap.TrySetResult(match.Groups[1].Value);
                }
            })
            .Build();
        try
        {
            return new KafkaMockCluster(host, await bootstrap.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        catch (TimeoutException)
        {
            host.Dispose();
            throw new InvalidOperationException("librdkafka reported no mock cluster bootstrap.servers within 20 s");
        }
    }

    /// <summary>
    /// Creates a topic with <paramref name="partitions"/> partitions, through librdkafka's mock API
    /// (<c>rd_kafka_mock_topic_create</c>): the mock answers admin CreateTopics, but its metadata names no controller,
    /// which the admin client waits for.
    /// </summary>
    public Task CreateTopicAsync(string topic, int partitions)
    {
        var mock = MockApi.Cluster(_host);
        var error = MockApi.TopicCreate(mock, topic, partitions, 1);
        return error == 0 ? Task.CompletedTask : throw new InvalidOperationException($"rd_kafka_mock_topic_create({topic}, {partitions}) failed with error {error}");
    }

    /// <summary>The group's committed offset per partition (-1001, "unset", where nothing is committed).</summary>
    public long[] Committed(string topic, string group, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = group }).Build();
        var offsets = consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10));
        return [.. offsets.OrderBy(o => o.Partition.Value).Select(o => o.Offset.Value)];
    }

    /// <summary>The end (high watermark) of each partition.</summary>
    public long[] Ends(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "watermarks" }).Build();
        return [.. Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value)];
    }

    /// <summary>Reads every record of <paramref name="topic"/> currently there (bounded by <paramref name="timeout"/>).</summary>
    public List<ConsumeResult<string?, string?>> ReadAll(string topic, int partitions, TimeSpan timeout)
    {
        var ends = Ends(topic, partitions);
        using var consumer = new ConsumerBuilder<string?, string?>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "reader", EnableAutoCommit = false }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<string?, string?>>();
        var clock = Stopwatch.StartNew();
        while (records.Count < ends.Sum() && clock.Elapsed < timeout)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    /// <summary>A producer on this cluster with Kafka's default (murmur2, Java-compatible) key partitioner.</summary>
    public IProducer<string?, string?> Producer() =>
        new ProducerBuilder<string?, string?>(new ProducerConfig { BootstrapServers = BootstrapServers, Partitioner = Partitioner.Murmur2Random, Acks = Acks.All }).Build();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _host.Dispose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"bootstrap\.servers=(\S+)")]
    private static partial Regex BootstrapLine();
}
