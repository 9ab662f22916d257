using System.Collections.Concurrent;

namespace OrleansFleet;

/// <summary>
/// The telemetry history of the embedded mode: per device, the newest <see cref="CapacityPerDevice"/> readings by
/// reading time, in memory, lost on restart. Keys, idempotence, ordering and paging are those of the Azure Tables
/// store (<see cref="TelemetryHistoryKeys"/>), so the query API behaves the same in every run mode.
/// </summary>
/// <remarks>
/// It lives with the contracts because it needs no package, so the embedded mode pulls in no Azure SDK.
/// Memory: measured by the soak (<c>scripts/soak.py</c>), about 0.5 KiB per reading of two metrics, so about 0.5 MiB per
/// device at the default capacity. The bound is per device: the number of devices seen is the other factor.
/// </remarks>
public sealed class MemoryTelemetryHistoryStore : ITelemetryHistoryStore
{
    /// <summary>How many readings per device the store keeps unless told otherwise.</summary>
    public const int DefaultCapacityPerDevice = 1_000;

    private readonly ConcurrentDictionary<string, MemoryDeviceHistory> _devices = new(StringComparer.Ordinal);

    /// <summary>Creates a store that keeps the newest <paramref name="capacityPerDevice"/> readings of each device.</summary>
    /// <param name="capacityPerDevice">Readings kept per device; the oldest by reading time are dropped first.</param>
    public MemoryTelemetryHistoryStore(int capacityPerDevice = DefaultCapacityPerDevice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityPerDevice, 1);
        CapacityPerDevice = capacityPerDevice;
    }

    /// <summary>Readings kept per device.</summary>
    public int CapacityPerDevice { get; }

    /// <inheritdoc/>
    public Task WriteAsync(IReadOnlyList<TelemetryEvent> readings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        for (int i = 0; i < readings.Count; i++)
        {
            TelemetryEvent reading = readings[i];
            MemoryDeviceHistory history = _devices.GetOrAdd(reading.DeviceId, static (_, capacity) => new MemoryDeviceHistory(capacity), CapacityPerDevice);
            lock (history)
            {
                history.Put(reading);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<TelemetryPage> QueryAsync(
        string deviceId,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int limit,
        string? continuationToken,
        CancellationToken cancellationToken)
    {
        TelemetryHistoryKeys.ValidateQuery(deviceId, from, to, limit);
        (string? start, string? end) = TelemetryHistoryKeys.QueryRange(from, to, continuationToken);
        if (!_devices.TryGetValue(deviceId, out MemoryDeviceHistory? history))
        {
            return Task.FromResult(new TelemetryPage([], null));
        }

        List<TelemetryEvent> items;
        TelemetryHistoryKey? next;
        lock (history)
        {
            (items, next) = history.Page(
                start is null ? null : TelemetryHistoryKey.Parse(start),
                end is null ? null : TelemetryHistoryKey.Parse(end),
                limit);
        }

        return Task.FromResult(new TelemetryPage(items, next is { } key ? TelemetryHistoryKeys.EncodeToken(key.ToString()) : null));
    }
}
