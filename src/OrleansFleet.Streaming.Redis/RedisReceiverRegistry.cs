using System.Collections.Concurrent;

namespace OrleansFleet.Streaming.Redis;

/// <summary>The partition receivers of one provider on this silo, so a commit made here also releases what the local receiver holds.</summary>
internal sealed class RedisReceiverRegistry
{
    private readonly ConcurrentDictionary<int, RedisTelemetryReceiver> _receivers = new();

    public void Add(int partition, RedisTelemetryReceiver receiver) => _receivers[partition] = receiver;

    public RedisTelemetryReceiver? Find(int partition) => _receivers.GetValueOrDefault(partition);
}
