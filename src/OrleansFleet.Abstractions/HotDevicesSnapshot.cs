namespace OrleansFleet;

/// <summary>What one silo's hot-device tracker saw over its sliding window.</summary>
/// <param name="Silo">The silo whose ingest point counted these events.</param>
/// <param name="At">When the snapshot was taken.</param>
/// <param name="Window">The span the counts cover (shorter than the configured window right after the silo started).</param>
/// <param name="TotalEvents">Every event counted in the window, exactly.</param>
/// <param name="MaxError">The most any device's count here is off by, either way (space-saving bound, at most <c>TotalEvents / capacity</c>).</param>
/// <param name="Devices">The heaviest devices, heaviest first, with their estimated event counts.</param>
/// <param name="Intervals">Events counted per interval over the rate history, oldest first.</param>
[GenerateSerializer, Immutable, Alias("fleet.HotDevicesSnapshot")]
public sealed record class HotDevicesSnapshot(
    [property: Id(0)] string Silo,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] TimeSpan Window,
    [property: Id(3)] long TotalEvents,
    [property: Id(4)] long MaxError,
    [property: Id(5)] IReadOnlyList<HotDeviceCount> Devices,
    [property: Id(6)] IReadOnlyList<IngestInterval> Intervals);

/// <summary>One device's estimated event count in a window.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Events">Its estimated count.</param>
[GenerateSerializer, Immutable, Alias("fleet.HotDeviceCount")]
public sealed record class HotDeviceCount([property: Id(0)] string DeviceId, [property: Id(1)] long Events);

/// <summary>Events counted at an ingest point during one interval.</summary>
/// <param name="Start">The interval's start (intervals are aligned to the Unix epoch, so silos' intervals line up).</param>
/// <param name="Length">The interval's length.</param>
/// <param name="Events">Events counted in it.</param>
[GenerateSerializer, Immutable, Alias("fleet.IngestInterval")]
public sealed record class IngestInterval([property: Id(0)] DateTimeOffset Start, [property: Id(1)] TimeSpan Length, [property: Id(2)] long Events);
