using System.Text;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Domain;

public sealed class TelemetryJsonTests
{
    private static readonly TelemetryLimits Limits = new() { MaxEventsPerRequest = 3, MaxMetricsPerEvent = 2 };

    private static TelemetryParseResult Parse(string json, bool single = false) => TelemetryJson.Parse(Encoding.UTF8.GetBytes(json), Limits, T0, single);

    [Fact]
    public void A_valid_batch_parses_every_field()
    {
        var result = Parse("""
            [{"deviceId":"chiller-7","seq":12,"timestamp":"2026-11-22T11:00:00+01:00","metrics":{"temperature":71.5,"pressure":9},"status":"running"},
             {"deviceId":"meter:1","timestamp":"2026-11-22T09:59:00","metrics":{}},
             {"deviceId":"chiller-7","seq":13,"timestamp":"2026-11-22T10:00:01Z","status":"shutdown"}]
            """);
        Assert.True(result.IsValid);
        var first = result.Events[0];
        Assert.Equal(("chiller-7", 12L, T0, DeviceStatus.Running), (first.DeviceId, first.Seq!.Value, first.Timestamp, first.Status!.Value));
        Assert.Equal(71.5, first.Metrics["temperature"]);
        Assert.Equal((null, T0.AddMinutes(-1), 0), (result.Events[1].Seq, result.Events[1].Timestamp, result.Events[1].Metrics.Count));
        Assert.Equal(DeviceStatus.Shutdown, result.Events[2].Status);
        Assert.Empty(result.Events[2].Metrics);
    }

    [Theory]
    [InlineData("2026-11-22T10:00:00Z")]
    [InlineData("2026-11-22T10:00:00.0000000+00:00")]
    [InlineData("2026-11-22T12:00:00+02:00")]
    [InlineData("2026-11-22T05:00:00-05:00")]
    [InlineData("2026-11-22T10:00:00")]
    [InlineData("2026-11-22 10:00:00")]
    [InlineData("2026-11-22T10:00:00\\u002B00:00")]
    public void Every_timestamp_form_reads_as_the_same_utc_instant(string timestamp)
    {
        // The offset forms are read from the bytes, the rest by the general parser; no offset means UTC either way.
        var result = Parse($$$"""[{"deviceId":"d","timestamp":"{{{timestamp}}}","metrics":{}}]""");

        Assert.True(result.IsValid);
        Assert.Equal(T0, result.Events[0].Timestamp);
        Assert.Equal(TimeSpan.Zero, result.Events[0].Timestamp.Offset);
    }

    [Fact]
    public void A_metric_name_is_checked_the_same_when_it_repeats()
    {
        var result = Parse("""
            [{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":{"temperature":1}},
             {"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":{"temperature":2,"temp\u0065rature2":3}}]
            """);
        Assert.True(result.IsValid);
        Assert.Equal(2, result.Events[1].Metrics["temperature"]);
        Assert.Equal(3, result.Events[1].Metrics["temperature2"]);

        Assert.Contains(Parse("""[{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":{"temperature":1,"bad name":1}}]""").Errors!, e => e.Key == "$[0].metrics.bad name");
    }

    [Fact]
    public void A_single_object_is_accepted_only_where_allowed()
    {
        const string Event = """{"deviceId":"d","seq":1,"timestamp":"2026-11-22T10:00:00Z","metrics":{"t":1}}""";
        Assert.True(Parse(Event, single: true).IsValid);
        Assert.Equal(["must be a JSON array of events"], Parse(Event).Errors!["$"]);
    }

    [Theory]
    [InlineData("""[{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":{},"temp":1}]""", "$[0].temp", "is not a known field")]
    [InlineData("""[{"timestamp":"2026-11-22T10:00:00Z","metrics":{}}]""", "$[0].deviceId", "is required")]
    [InlineData("""[{"deviceId":"d","metrics":{}}]""", "$[0].timestamp", "is required")]
    [InlineData("""[{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z"}]""", "$[0].metrics", "is required unless")]
    [InlineData("""[{"deviceId":"has space","timestamp":"2026-11-22T10:00:00Z","metrics":{}}]""", "$[0].deviceId", "must be 1 to 128")]
    [InlineData("""[{"deviceId":"","timestamp":"2026-11-22T10:00:00Z","metrics":{}}]""", "$[0].deviceId", "must be 1 to 128")]
    [InlineData("""[{"deviceId":7,"timestamp":"2026-11-22T10:00:00Z","metrics":{}}]""", "$[0].deviceId", "must be a string")]
    [InlineData("""[{"deviceId":"d","seq":0,"timestamp":"2026-11-22T10:00:00Z","metrics":{}}]""", "$[0].seq", "whole number from 1")]
    [InlineData("""[{"deviceId":"d","seq":1.5,"timestamp":"2026-11-22T10:00:00Z","metrics":{}}]""", "$[0].seq", "whole number from 1")]
    [InlineData("""[{"deviceId":"d","seq":"1","timestamp":"2026-11-22T10:00:00Z","metrics":{}}]""", "$[0].seq", "whole number from 1")]
    [InlineData("""[{"deviceId":"d","timestamp":"yesterday","metrics":{}}]""", "$[0].timestamp", "ISO 8601")]
    [InlineData("""[{"deviceId":"d","timestamp":"2026-11-22T10:05:01Z","metrics":{}}]""", "$[0].timestamp", "ahead of the server's clock")]
    [InlineData("""[{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":{"t":1e999}}]""", "$[0].metrics.t", "finite number")]
    [InlineData("""[{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":{"t":"NaN"}}]""", "$[0].metrics.t", "finite number")]
    [InlineData("""[{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":{"bad name":1}}]""", "$[0].metrics.bad name", "metric name")]
    [InlineData("""[{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":{"a":1,"b":2,"c":3}}]""", "$[0].metrics", "at most 2 metrics")]
    [InlineData("""[{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":{"a":1,"a":2}}]""", "$[0].metrics.a", "more than once")]
    [InlineData("""[{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":[1]}]""", "$[0].metrics", "must be an object")]
    [InlineData("""[{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","status":"exploded"}]""", "$[0].status", "must be one of")]
    [InlineData("""[{"deviceId":"d","seq":1,"timestamp":"2026-11-22T10:00:00Z","status":null}]""", "$[0].status", "null is not allowed")]
    [InlineData("""[{"deviceId":"d","seq":1,"timestamp":"2026-11-22T10:00:00Z","metrics":{},"status":null}]""", "$[0].status", "null is not allowed")]
    [InlineData("""[{"deviceId":"d","seq":1,"timestamp":"2026-11-22T10:00:00Z","metrics":null}]""", "$[0].metrics", "must be an object")]
    [InlineData("""[{"deviceId":"d","deviceId":"e","timestamp":"2026-11-22T10:00:00Z","metrics":{}}]""", "$[0].deviceId", "more than once")]
    [InlineData("""[1]""", "$[0]", "must be an event object")]
    [InlineData("""[]""", "$", "at least one event")]
    [InlineData("""{"deviceId":"d"}""", "$", "must be a JSON array")]
    [InlineData("", "$", "the body is empty")]
    [InlineData("""[{"deviceId":""", "$", "is not valid JSON")]
    [InlineData("""[{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":{}}] []""", "$", "is not valid JSON")]
    public void Each_broken_rule_is_reported_at_its_field(string json, string field, string message)
    {
        var result = Parse(json);
        Assert.False(result.IsValid);
        Assert.Empty(result.Events);
        Assert.True(result.Errors!.ContainsKey(field), $"errors: {string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}");
        Assert.Contains(result.Errors[field], m => m.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Too_many_events_reject_the_whole_batch()
    {
        const string Event = """{"deviceId":"d","timestamp":"2026-11-22T10:00:00Z","metrics":{}}""";
        var result = Parse($"[{Event},{Event},{Event},{Event}]");
        Assert.Contains("must hold at most 3 events", result.Errors!["$"]);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void One_bad_event_rejects_the_whole_batch_and_every_bad_field_is_named()
    {
        var result = Parse("""
            [{"deviceId":"ok","timestamp":"2026-11-22T10:00:00Z","metrics":{"t":1}},
             {"deviceId":"bad id","seq":-1,"timestamp":"2026-11-22T10:00:00Z","metrics":{}}]
            """);
        Assert.Empty(result.Events);
        Assert.Equal(["$[1].deviceId", "$[1].seq"], result.Errors!.Keys.Order());
    }
}
