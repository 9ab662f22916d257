using Orleans.TestingHost;

using OrleansFleet.Streaming.Kafka.Hosting;

namespace OrleansFleet.Streaming.Kafka.Tests;

/// <summary>An in-process Orleans cluster with the Kafka telemetry provider on every silo and on the client.</summary>
public sealed class KafkaTelemetryCluster : IAsyncDisposable
{
    private KafkaTelemetryCluster(InProcessTestCluster cluster, string topic, string group)
    {
        Cluster = cluster;
        Topic = topic;
        Group = group;
    }

    /// <summary>The cluster.</summary>
    public InProcessTestCluster Cluster { get; }

    /// <summary>The telemetry topic.</summary>
    public string Topic { get; }

    /// <summary>The consumer group (the ServiceId).</summary>
    public string Group { get; }

    /// <summary>Starts a cluster of <paramref name="silos"/> silos reading <paramref name="topic"/> on <paramref name="kafka"/>.</summary>
    public static async Task<KafkaTelemetryCluster> StartAsync(KafkaMockCluster kafka, string topic, int silos = 1, Action<KafkaTelemetryStreamOptions>? configure = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        var serviceId = builder.Options.ServiceId;
        void Options(KafkaTelemetryStreamOptions o)
        {
            o.BootstrapServers = kafka.BootstrapServers;
            o.Topic = topic;
            o.DeadLetterTopic = topic + "-dead";
            o.ProduceTimeout = TimeSpan.FromSeconds(10);
            o.CommitInterval = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        }

        builder.ConfigureSilo((_, silo) =>
        {
            silo.WithFastFailureDetection();
            silo.AddKafkaTelemetryStreams(TelemetryStream.ProviderName, streams => streams.ConfigureKafka(Options));
        });
        builder.ConfigureClient(client => client.AddKafkaTelemetryStreams(TelemetryStream.ProviderName, streams => streams.ConfigureKafka(Options)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new KafkaTelemetryCluster(cluster, topic, serviceId);
    }

    /// <summary>Publishes events of one device through Orleans (the API's path).</summary>
    public Task ProduceAsync(string deviceId, params long[] seqs) => TelemetryTestCluster.ProduceAsync(Cluster.Client, deviceId, seqs);

    /// <summary>An event with one metric.</summary>
    public static TelemetryEvent Event(string deviceId, long seq) => TelemetryTestCluster.Event(deviceId, seq);

    /// <summary>A topic name no other test uses.</summary>
    public static string UniqueTopic(string test) => $"{test}-{Guid.NewGuid():N}";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
