using Orleans.Configuration;

namespace OrleansFleet.Streaming.Testing;

/// <summary>What every provider's test cluster does the same way, whatever the transport.</summary>
public static class TelemetryTestCluster
{
    /// <summary>Declares a killed silo dead within seconds, so its partitions move while the test watches.</summary>
    public static ISiloBuilder WithFastFailureDetection(this ISiloBuilder silo) =>
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
        });

    /// <summary>Publishes events of one device through Orleans, as the API's ingestor does.</summary>
    public static Task ProduceAsync(IClusterClient client, string deviceId, params long[] seqs)
    {
        ArgumentNullException.ThrowIfNull(client);
        var stream = client.GetStreamProvider(TelemetryStream.ProviderName)
            .GetStream<TelemetryBatch>(StreamId.Create(TelemetryStream.Namespace, deviceId));
        return stream.OnNextAsync(new TelemetryBatch([.. seqs.Select(s => Event(deviceId, s))]));
    }

    /// <summary>An event with one metric.</summary>
    public static TelemetryEvent Event(string deviceId, long seq) =>
        new(deviceId, seq, DateTimeOffset.UtcNow, new Dictionary<string, double> { ["temperature"] = 20 + (seq % 50) });
}
