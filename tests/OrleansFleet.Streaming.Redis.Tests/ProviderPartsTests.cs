using Microsoft.Extensions.Options;

namespace OrleansFleet.Streaming.Redis.Tests;

/// <summary>The provider's pure parts: wire format, decoding, options.</summary>
public sealed class ProviderPartsTests
{
    [Fact]
    public void The_wire_writer_produces_what_the_API_reader_accepts()
    {
        var e = new TelemetryEvent("dev-1", 7, new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero), new Dictionary<string, double> { ["t"] = 71.5, ["p"] = -0.1 }, DeviceStatus.Fault);
        var json = TelemetryJson.WriteArray([e, e with { Seq = null, Status = null, Metrics = TelemetryJson.EmptyMetrics }]);
        var parsed = TelemetryJson.Parse(json, new TelemetryLimits(), DateTimeOffset.UtcNow);
        Assert.True(parsed.IsValid, string.Join(";", parsed.Errors?.Keys ?? []));
        Assert.Equal(e.Seq, parsed.Events[0].Seq);
        Assert.Equal(e.Timestamp, parsed.Events[0].Timestamp);
        Assert.Equal(e.Metrics, parsed.Events[0].Metrics);
        Assert.Equal(DeviceStatus.Fault, parsed.Events[0].Status);
        Assert.Null(parsed.Events[1].Seq);
    }

    [Fact]
    public void The_decoder_names_the_field_and_rule_of_a_bad_entry()
    {
        var limits = new TelemetryLimits();
        var partition = DevicePartitioner.PartitionOf("dev-1", 8);
        var bad = TelemetryEntryDecoder.Decode("dev-1", """[{"deviceId":"dev-1","timestamp":"2026-01-01T00:00:00Z","metrics":{"t":"hot"}}]"""u8.ToArray(), partition, 8, limits, DateTimeOffset.UtcNow);
        Assert.Equal(DeadLetter.KindInvalid, bad.DeadLetter!.Kind);
        Assert.Contains("$[0].metrics.t", bad.DeadLetter.Reason, StringComparison.Ordinal);
        Assert.Equal(DeadLetter.KindInvalid, TelemetryEntryDecoder.Decode("bad id!", "{}"u8.ToArray(), 0, 8, limits, DateTimeOffset.UtcNow).DeadLetter!.Kind);
        Assert.NotNull(TelemetryEntryDecoder.Decode("dev-1", """{"deviceId":"dev-1","timestamp":"2026-01-01T00:00:00Z","status":"running"}"""u8.ToArray(), partition, 8, limits, DateTimeOffset.UtcNow).Events);
    }

    [Fact]
    public void An_entry_without_a_device_field_carries_many_devices_of_its_partition_and_one_of_another_partition_dead_letters_it()
    {
        var limits = new TelemetryLimits();
        var devices = Enumerable.Range(0, 200).Select(i => $"dev-{i}").Where(d => DevicePartitioner.PartitionOf(d, 8) == 3).Take(3).ToArray();
        var stranger = Enumerable.Range(0, 200).Select(i => $"dev-{i}").First(d => DevicePartitioner.PartitionOf(d, 8) != 3);
        static TelemetryEvent Event(string d) => new(d, 1, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new Dictionary<string, double> { ["t"] = 1 });

        var decoded = TelemetryEntryDecoder.Decode(null, TelemetryJson.WriteArray([.. devices.Select(Event)]), 3, 8, limits, DateTimeOffset.UtcNow);
        Assert.Equal(devices, decoded.Events!.Select(e => e.DeviceId));

        var wrong = TelemetryEntryDecoder.Decode(null, TelemetryJson.WriteArray([Event(devices[0]), Event(stranger)]), 3, 8, limits, DateTimeOffset.UtcNow);
        Assert.Equal(DeadLetter.KindWrongPartition, wrong.DeadLetter!.Kind);
        Assert.Contains(stranger, wrong.DeadLetter.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_queue_mapper_maps_partition_stream_n_to_queue_n_and_refuses_other_streams()
    {
        var mapper = new PartitionedStreamQueueMapper("telemetry", 8);
        for (var p = 0; p < 8; p++)
        {
            Assert.Equal(p, PartitionedStreamQueueMapper.PartitionOf(mapper.GetQueueForStream(TelemetryPartitionStream.Of(p))));
        }

        Assert.Throws<ArgumentException>(() => mapper.GetQueueForStream(TelemetryPartitionStream.Of(8)));
        Assert.Throws<ArgumentException>(() => mapper.GetQueueForStream(StreamId.Create(TelemetryStream.Namespace, "chiller-7")));
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_setting_named()
    {
        var result = new RedisTelemetryStreamOptionsValidator().Validate("telemetry", new RedisTelemetryStreamOptions { Partitions = 0 });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("ConnectionString is required", StringComparison.Ordinal) && f.Contains("ConnectionStrings:Redis", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Partitions must be 1 to 1024", StringComparison.Ordinal));
        Assert.Equal(ValidateOptionsResult.Success, new RedisTelemetryStreamOptionsValidator().Validate("telemetry", new RedisTelemetryStreamOptions { ConnectionString = "127.0.0.1:6380" }));
    }
}
