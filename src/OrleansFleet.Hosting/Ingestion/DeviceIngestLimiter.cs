using Microsoft.Extensions.Options;

namespace OrleansFleet.Hosting.Ingestion;

/// <summary>
/// A token bucket per device, in a bounded LRU, checked for a whole request at once: either every device of the request
/// has the tokens and all are taken, or nothing is taken and the request is refused. The built-in
/// <c>PartitionedRateLimiter</c> was not used because it cannot do either: its token-bucket leases cannot be given
/// back (so a multi-device request refused on its third device would already have spent the first two devices'
/// tokens), and its partition set is only trimmed of idle limiters, never capped in count.
/// </summary>
public sealed class DeviceIngestLimiter(IOptions<DeviceIngestLimitOptions> options, TimeProvider time)
{
    private readonly DeviceIngestLimitOptions _options = options.Value;
    private readonly Dictionary<string, LinkedListNode<Bucket>> _buckets = new(StringComparer.Ordinal);
    // Most recently used first; the last node is the one forgotten when the set is full.
    private readonly LinkedList<Bucket> _recency = [];
    private readonly Lock _lock = new();

    /// <summary>Whether a limit is configured.</summary>
    public bool Enabled => _options.PerDeviceEventsPerSecond > 0;

    /// <summary>How many devices have a bucket now (at most <see cref="DeviceIngestLimitOptions.MaxTrackedDevices"/>).</summary>
    public int TrackedDevices
    {
        get
        {
            lock (_lock)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>Takes the tokens for every event of a request, or none; <c>null</c> when admitted.</summary>
    public DeviceIngestRefusal? TryAdmit(IReadOnlyList<TelemetryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (!Enabled)
        {
            return null;
        }

        var requested = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            requested[e.DeviceId] = requested.GetValueOrDefault(e.DeviceId) + 1;
        }

        var rate = _options.PerDeviceEventsPerSecond;
        var burst = _options.Burst;
        lock (_lock)
        {
            var now = time.GetTimestamp();
            foreach (var (deviceId, count) in requested)
            {
                var available = Available(deviceId, now, rate, burst);
                if (count > available)
                {
                    // More than a full bucket can never pass: waiting does not help, splitting the request does.
                    TimeSpan? retryAfter = count > burst ? null : TimeSpan.FromSeconds((count - available) / rate);
                    return new DeviceIngestRefusal(deviceId, count, Math.Floor(available), burst, rate, retryAfter);
                }
            }

            foreach (var (deviceId, count) in requested)
            {
                var tokens = Available(deviceId, now, rate, burst) - count;
                if (_buckets.TryGetValue(deviceId, out var node))
                {
                    (node.Value.Tokens, node.Value.Timestamp) = (tokens, now);
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    continue;
                }

                if (_buckets.Count >= _options.MaxTrackedDevices)
                {
                    var oldest = _recency.Last!;
                    _recency.RemoveLast();
                    _buckets.Remove(oldest.Value.DeviceId);
                }

                _buckets[deviceId] = _recency.AddFirst(new Bucket(deviceId) { Tokens = tokens, Timestamp = now });
            }
        }

        return null;
    }

    private double Available(string deviceId, long now, double rate, double burst) =>
        _buckets.TryGetValue(deviceId, out var node)
            ? Math.Min(burst, node.Value.Tokens + (time.GetElapsedTime(node.Value.Timestamp, now).TotalSeconds * rate))
            : burst;

    private sealed class Bucket(string deviceId)
    {
        public string DeviceId { get; } = deviceId;

        public double Tokens { get; set; }

        public long Timestamp { get; set; }
    }
}

/// <summary>Why a request was refused: the first device of it over its limit.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Requested">Its events in the request.</param>
/// <param name="Available">Events it may send now.</param>
/// <param name="Burst">The most it may ever send at once.</param>
/// <param name="EventsPerSecond">Its sustained limit.</param>
/// <param name="RetryAfter">When the request would pass; <c>null</c> when it never can (more events than the burst).</param>
public sealed record DeviceIngestRefusal(string DeviceId, int Requested, double Available, double Burst, double EventsPerSecond, TimeSpan? RetryAfter);
