using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using OrleansFleet.Grains;
using OrleansFleet.Grains.Telemetry;

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

    /// <summary>
    /// The real fleet grains on a test silo: the partition consumer and <c>DeviceGrain</c> with memory grain storage,
    /// the telemetry writer on an in-memory history, no alarm rules, and the <see cref="DeviceCallFilter"/>.
    /// </summary>
    public static ISiloBuilder WithFleetGrains(this ISiloBuilder silo, Action<FleetOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddMemoryGrainStorageAsDefault();
        silo.Services.AddSingleton<ITelemetryHistoryStore>(new MemoryTelemetryHistoryStore());
        silo.Services.AddTelemetryWriter();
        silo.Services.AddOptions<FleetOptions>().Configure(o => configure?.Invoke(o));
        silo.AddIncomingGrainCallFilter<DeviceCallFilter>();
        return silo;
    }

    /// <summary>Publishes events of one device through Orleans, on its partition's stream, as a producer using the stream API does.</summary>
    public static Task ProduceAsync(IClusterClient client, int partitions, string deviceId, params long[] seqs)
    {
        ArgumentNullException.ThrowIfNull(client);
        var stream = client.GetStreamProvider(TelemetryStream.ProviderName)
            .GetStream<TelemetryBatch>(TelemetryPartitionStream.Of(DevicePartitioner.PartitionOf(deviceId, partitions)));
        return stream.OnNextAsync(new TelemetryBatch([.. seqs.Select(s => Event(deviceId, s))]));
    }

    /// <summary>An event with one metric.</summary>
    public static TelemetryEvent Event(string deviceId, long seq) =>
        new(deviceId, seq, DateTimeOffset.UtcNow, new Dictionary<string, double> { ["temperature"] = 20 + (seq % 50) });
}
