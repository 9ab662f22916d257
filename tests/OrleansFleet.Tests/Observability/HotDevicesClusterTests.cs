using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansFleet.Grains.HotDevices;
using OrleansFleet.Hosting.Queries;

namespace OrleansFleet.Tests.Observability;

/// <summary>A two-silo cluster whose silos each have their own hot-device tracker, as co-hosted API silos do.</summary>
public sealed class TwoSiloHotDevicesFixture : IAsyncLifetime
{
    public HotDeviceOptions Options { get; } = new();

    /// <summary>
    /// One clock for both trackers, so their windows are equally long: silos start a moment apart, and on the real
    /// clock the later one's shorter window inflates its rates enough to reorder the ranking.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
            silo.Services.AddSingleton(_ => new HotDeviceTracker(Microsoft.Extensions.Options.Options.Create(Options), Clock));
            silo.Services.AddPlacementDirector<SiloKeyedPlacement, SiloKeyedPlacementDirector>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Each silo's tracker is reached on its own silo and the snapshots merge into one cluster-wide ranking.</summary>
public sealed class HotDevicesClusterTests(TwoSiloHotDevicesFixture fixture) : IClassFixture<TwoSiloHotDevicesFixture>
{
    private static TelemetryEvent[] Batch(string deviceId, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new TelemetryEvent(deviceId, null, DateTimeOffset.UtcNow, TelemetryJson.EmptyMetrics))];

    [Fact]
    public async Task Hot_devices_merge_across_silos_and_each_names_the_silo_that_counted_most_of_it()
    {
        var (a, b) = (fixture.Cluster.Silos[0], fixture.Cluster.Silos[1]);
        var trackerA = a.ServiceProvider.GetRequiredService<HotDeviceTracker>();
        var trackerB = b.ServiceProvider.GetRequiredService<HotDeviceTracker>();
        trackerA.Record([.. Batch("only-a", 30), .. Batch("shared", 5)]);
        trackerB.Record([.. Batch("only-b", 10), .. Batch("shared", 20)]);
        fixture.Clock.Advance(TimeSpan.FromSeconds(2));

        // The grain keyed by a silo's address answers from that silo's tracker, wherever the caller is.
        var fromB = await fixture.Cluster.Client.GetGrain<IHotDevicesGrain>(b.SiloAddress.ToParsableString()).GetSnapshotAsync(10);
        Assert.Equal(b.SiloAddress.ToParsableString(), fromB.Silo);
        Assert.Equal(30, fromB.TotalEvents);

        var answer = await new HotDeviceQueries(fixture.Cluster.Client, Microsoft.Extensions.Options.Options.Create(fixture.Options)).GetAsync(3);
        Assert.Equal((2, 2), (answer.Silos, answer.SilosAnswered));
        Assert.Equal(["only-a", "shared", "only-b"], answer.Devices.Select(d => d.DeviceId));
        Assert.Equal(
            [a.SiloAddress.ToParsableString(), b.SiloAddress.ToParsableString(), b.SiloAddress.ToParsableString()],
            answer.Devices.Select(d => d.Silo));
        // Shares are of the whole cluster's traffic: 30 of 65 events for "only-a", at 30 events over the 2 s window.
        Assert.Equal(Math.Round(30.0 / 65, 4), answer.Devices[0].Share);
        Assert.Equal(15, answer.Devices[0].EventsPerSecond);
    }
}
