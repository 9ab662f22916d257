using System.Collections.Concurrent;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// An <see cref="ITelemetryHistoryStore"/> in front of the in-memory one that counts write calls per device and can
/// be told to fail the writes that contain a given device, so tests see how the writer batches and what a failing
/// store does to a device.
/// </summary>
internal sealed class CountingHistoryStore(ITelemetryHistoryStore inner) : ITelemetryHistoryStore
{
    private readonly ConcurrentDictionary<string, int> _callsWith = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _failing = new(StringComparer.Ordinal);

    /// <summary>How many store calls carried at least one reading of <paramref name="deviceId"/>.</summary>
    public int CallsWith(string deviceId) => _callsWith.GetValueOrDefault(deviceId);

    /// <summary>How many store calls carried at least one reading of any of <paramref name="deviceIds"/>.</summary>
    public int CallsWithAny(IEnumerable<string> deviceIds) => _calls.Count(call => deviceIds.Any(call.Contains));

    /// <summary>Makes every write that contains <paramref name="deviceId"/> fail, or succeed again.</summary>
    public void Fail(string deviceId, bool fail) => _failing[deviceId] = fail;

    private readonly ConcurrentBag<HashSet<string>> _calls = [];

    public Task WriteAsync(IReadOnlyList<TelemetryEvent> readings, CancellationToken cancellationToken)
    {
        HashSet<string> devices = readings.Select(r => r.DeviceId).ToHashSet(StringComparer.Ordinal);
        _calls.Add(devices);
        foreach (string device in devices)
        {
            _callsWith.AddOrUpdate(device, 1, (_, n) => n + 1);
        }

        if (devices.Any(d => _failing.GetValueOrDefault(d)))
        {
            return Task.FromException(new IOException("The history store is down (test)."));
        }

        return inner.WriteAsync(readings, cancellationToken);
    }

    public Task<TelemetryPage> QueryAsync(string deviceId, DateTimeOffset? from, DateTimeOffset? to, int limit, string? continuationToken, CancellationToken cancellationToken) =>
        inner.QueryAsync(deviceId, from, to, limit, continuationToken, cancellationToken);
}
