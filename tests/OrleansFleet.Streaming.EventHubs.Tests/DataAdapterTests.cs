using System.Diagnostics.Metrics;
using Azure.Messaging.EventHubs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;

namespace OrleansFleet.Streaming.EventHubs.Tests;

/// <summary>The data adapter on its own: what an <see cref="EventData"/> becomes in the provider's cache.</summary>
public sealed class DataAdapterTests
{
    private readonly FakeEventHub _deadLetterHub = new("dead", 1);
    private readonly EventHubDeadLetters _deadLetters;
    private readonly TelemetryEventHubDataAdapter _adapter;

    public DataAdapterTests()
    {
        var serializer = new ServiceCollection()
            .AddSerializer(s => s.AddAssembly(typeof(TelemetryBatch).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer<TelemetryBatch>>();
        var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        _deadLetters = new EventHubDeadLetters(_deadLetterHub, "fleet-telemetry", NullLogger<EventHubDeadLetters>.Instance, new StreamingMetrics(metrics), "telemetry");
        _adapter = new TelemetryEventHubDataAdapter(serializer, _deadLetters, new TelemetryLimits(), TimeProvider.System);
    }

    [Fact]
    public void A_devices_array_goes_to_the_stream_of_the_partition_it_was_read_from_with_its_offset_and_enqueue_time()
    {
        var enqueued = DateTimeOffset.UtcNow.AddSeconds(-5);
        var body = """[{"deviceId":"pump-1","seq":1,"timestamp":"2026-01-01T00:00:00Z","metrics":{"t":1}},{"deviceId":"pump-1","seq":2,"timestamp":"2026-01-01T00:00:01Z","metrics":{"t":2}}]""";
        var message = Received(body, "pump-1", sequenceNumber: 41, offset: "4100", enqueued);

        var container = (TelemetryBatchContainer)RoundTrip("3", message);

        Assert.Equal(TelemetryPartitionStream.Of(3), container.StreamId);
        Assert.Equal([1L, 2L], container.Batch.Events.Select(e => e.Seq));
        Assert.All(container.Batch.Events, e => Assert.Equal("pump-1", e.DeviceId));
        Assert.Equal(enqueued, container.Batch.StreamTime);
        Assert.Equal((41L, "4100"), (container.Token.SequenceNumber, container.Token.Position));
        Assert.Empty(_deadLetterHub.All);
    }

    [Fact]
    public void A_single_event_object_is_accepted_as_foreign_producers_write_it()
    {
        var message = Received("""{"deviceId":"pump-1","seq":7,"timestamp":"2026-01-01T00:00:00Z","status":"running"}""", "pump-1", 1, "100", DateTimeOffset.UtcNow);

        var container = (TelemetryBatchContainer)RoundTrip("0", message);

        Assert.Equal(7L, Assert.Single(container.Batch.Events).Seq);
    }

    [Theory]
    [InlineData("""{"deviceId":"pump-1","seq":1,"timestamp":"2026-01-01T00:00:00Z","metrics":{"t":"hot"}}""", "pump-1", DeadLetter.KindInvalid, "body is not valid telemetry")]
    [InlineData("not json", "pump-1", DeadLetter.KindInvalid, "body is not valid telemetry")]
    [InlineData("""{"deviceId":"pump-2","seq":1,"timestamp":"2026-01-01T00:00:00Z","metrics":{"t":1}}""", "pump-1", DeadLetter.KindDeviceMismatch, "partition key is 'pump-1'")]
    [InlineData("""{"deviceId":"pump-1","seq":1,"timestamp":"2026-01-01T00:00:00Z","metrics":{"t":1}}""", null, DeadLetter.KindMissingField, "partition key (the device id) is missing")]
    public async Task An_undecodable_event_is_dead_lettered_with_its_reason_and_cached_as_an_empty_batch(string body, string? partitionKey, string kind, string reason)
    {
        var message = Received(body, partitionKey, 9, "900", DateTimeOffset.UtcNow);

        var container = (TelemetryBatchContainer)RoundTrip("2", message);
        await _deadLetters.FlushAsync("2", CancellationToken.None);

        Assert.Empty(container.Batch.Events);
        Assert.Equal(9L, container.Token.SequenceNumber);
        var letter = Assert.Single(_deadLetterHub.All);
        Assert.Equal(body, letter.EventBody.ToString());
        Assert.Equal(kind, letter.Properties[DeadLetter.KindField]);
        Assert.Contains(reason, (string)letter.Properties[DeadLetter.ReasonField], StringComparison.Ordinal);
        Assert.Equal(("fleet-telemetry/2", "900"), ((string)letter.Properties[DeadLetter.SourceField], (string)letter.Properties[DeadLetter.SourceIdField]));
    }

    [Fact]
    public async Task An_event_read_twice_after_a_restart_is_dead_lettered_once()
    {
        var message = Received("not json", "pump-1", 9, "900", DateTimeOffset.UtcNow);

        RoundTrip("2", message);
        RoundTrip("2", message);
        await _deadLetters.FlushAsync("2", CancellationToken.None);

        Assert.Single(_deadLetterHub.All);
    }

    private Orleans.Streams.IBatchContainer RoundTrip(string partition, EventData message)
    {
        var position = _adapter.GetStreamPosition(partition, message);
        var cached = _adapter.FromQueueMessage(position, message, DateTime.UtcNow, size => new ArraySegment<byte>(new byte[size]));
        Assert.Equal(message.OffsetString, _adapter.GetOffset(cached));
        Assert.Equal(0, _adapter.GetSequenceToken(ref cached).CompareTo(position.SequenceToken));
        return _adapter.GetBatchContainer(ref cached);
    }

    private static EventData Received(string body, string? partitionKey, long sequenceNumber, string offset, DateTimeOffset enqueued) =>
        EventHubsModelFactory.EventData(BinaryData.FromString(body), partitionKey: partitionKey, sequenceNumber: sequenceNumber, offsetString: offset, enqueuedTime: enqueued);
}
