using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace OrleansFleet.Bench.Measurement;

/// <summary>
/// An in-process allocation profile: listens to the runtime's GC AllocationTick event, which the runtime raises about
/// every 100 KB allocated with the type of the object that crossed the line. Summed per type, that is a statistical
/// sample of what the hot path allocates, without an external profiler.
/// </summary>
public sealed class AllocationProfiler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const EventKeywords ExceptionKeyword = (EventKeywords)0x8000;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _exceptions = new(StringComparer.Ordinal);
    private volatile bool _recording;

    /// <summary>Starts recording (the listener may already be enabled before).</summary>
    public void Start() => _recording = true;

    /// <summary>Stops recording.</summary>
    public void Stop() => _recording = false;

    /// <summary>The top <paramref name="count"/> types by sampled bytes, with their share of the sample.</summary>
    public IReadOnlyList<(string Type, double Share)> Top(int count)
    {
        var total = (double)Math.Max(1, _bytes.Values.Sum());
        return [.. _bytes.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value / total))];
    }

    /// <summary>First-chance exceptions thrown while recording, by type and message (exceptions are expensive strings).</summary>
    public IReadOnlyList<(string Exception, long Count)> Exceptions(int count) =>
        [.. _exceptions.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value))];

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword | ExceptionKeyword);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (!_recording || eventData.EventName is null || eventData.PayloadNames is null)
        {
            return;
        }

        if (eventData.EventName.StartsWith("ExceptionThrown", StringComparison.Ordinal))
        {
            var key = $"{Payload(eventData, "ExceptionType")}: {Payload(eventData, "ExceptionMessage")}";
            _exceptions.AddOrUpdate(key[..Math.Min(key.Length, 200)], 1, (_, n) => n + 1);
            return;
        }

        if (!eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal))
        {
            return;
        }

        var typeIndex = eventData.PayloadNames.IndexOf("TypeName");
        var amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (typeIndex < 0)
        {
            return;
        }

        var type = eventData.Payload![typeIndex] as string ?? "?";
        var amount = amountIndex >= 0 ? Convert.ToInt64(eventData.Payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, b) => b + amount);
    }

    private static string Payload(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames!.IndexOf(name);
        return index >= 0 ? e.Payload![index] as string ?? "" : "";
    }
}
