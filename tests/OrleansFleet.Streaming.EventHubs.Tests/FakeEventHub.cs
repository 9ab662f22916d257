using System.Globalization;

using Azure.Messaging.EventHubs;

namespace OrleansFleet.Streaming.EventHubs.Tests;

/// <summary>
/// An Event Hub in memory: an append-only log per partition with the service's numbering (sequence numbers from 0,
/// increasing offsets), outliving the silos that read it, as a hub outlives a deployment. A partition key is hashed
/// with <see cref="DevicePartitioner"/>, standing in for the service's own (unpublished) hash: what matters here is
/// that one key always lands on one partition, as it does in the service.
/// </summary>
public sealed class FakeEventHub(string name, int partitions) : IEventHubSender
{
    private readonly List<EventData>[] _logs = [.. Enumerable.Range(0, partitions).Select(_ => new List<EventData>())];
    private readonly Lock _lock = new();
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The hub's name.</summary>
    public string Name => name;

    /// <summary>The partition ids, "0" to "n-1" as the service numbers them.</summary>
    public string[] PartitionIds { get; } = [.. Enumerable.Range(0, partitions).Select(p => p.ToString(CultureInfo.InvariantCulture))];

    /// <summary>What the hub holds (bodies and properties), for assertions.</summary>
    public IReadOnlyList<EventData> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _logs.SelectMany(l => l)];
            }
        }
    }

    /// <inheritdoc />
    public Task SendAsync(IReadOnlyList<EventData> events, string partitionKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        Append(DevicePartitioner.PartitionOf(partitionKey, partitions), partitionKey, events);
        return Task.CompletedTask;
    }

    /// <summary>Whether the hub is out of reach: <see cref="ProbeAsync"/> fails while it is.</summary>
    public bool Unreachable { get; set; }

    /// <inheritdoc />
    public Task ProbeAsync(CancellationToken cancellationToken) =>
        Unreachable ? Task.FromException(new TimeoutException($"Hub '{name}' does not answer.")) : Task.CompletedTask;

    /// <summary>Appends raw bodies as a foreign producer would, with <paramref name="partitionKey"/> (null: none, on partition 0).</summary>
    public void AppendRaw(string? partitionKey, params string[] bodies) =>
        Append(partitionKey is null ? 0 : DevicePartitioner.PartitionOf(partitionKey, partitions), partitionKey, [.. bodies.Select(b => new EventData(BinaryData.FromString(b)))]);

    /// <summary>The offset of the newest event of <paramref name="partition"/>, or null when it is empty.</summary>
    public string? NewestOffset(int partition)
    {
        lock (_lock)
        {
            return _logs[partition] is { Count: > 0 } log ? log[^1].OffsetString : null;
        }
    }

    /// <summary>A receiver of <paramref name="partition"/> starting at <paramref name="offset"/> (inclusive), or at the start or end.</summary>
    public FakeEventHubReceiver Receiver(string partition, string? offset, bool fromEnd)
    {
        var log = int.Parse(partition, CultureInfo.InvariantCulture);
        lock (_lock)
        {
            var events = _logs[log];
            var position = offset is not null
                ? events.FindIndex(e => e.OffsetString == offset) is var i and >= 0 ? i : throw new InvalidOperationException($"No event at offset {offset} in partition {partition}.")
                : fromEnd ? events.Count : 0;
            return new FakeEventHubReceiver(this, log, position);
        }
    }

    internal (IReadOnlyList<EventData> Events, Task Appended) Read(int partition, int position, int maxCount)
    {
        lock (_lock)
        {
            var log = _logs[partition];
            var count = Math.Max(0, Math.Min(maxCount, log.Count - position));
            return (log.GetRange(position, count), _appended.Task);
        }
    }

    private void Append(int partition, string? partitionKey, IReadOnlyList<EventData> events)
    {
        TaskCompletionSource appended;
        lock (_lock)
        {
            var log = _logs[partition];
            foreach (var e in events)
            {
                long sequence = log.Count;
                // Offsets are positions in the partition's bytes in the service; any increasing numbers do here.
                log.Add(EventHubsModelFactory.EventData(
                    e.EventBody,
                    e.Properties,
                    new Dictionary<string, object>(),
                    partitionKey,
                    sequence,
                    (sequence * 100).ToString(CultureInfo.InvariantCulture),
                    DateTimeOffset.UtcNow));
            }

            appended = _appended;
            _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        appended.SetResult();
    }
}
