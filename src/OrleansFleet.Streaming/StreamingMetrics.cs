using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansFleet.Streaming;

/// <summary>Instruments of the telemetry stream providers, on the meter <see cref="MeterName"/>.</summary>
public static class StreamingMetrics
{
    /// <summary>The meter name to enable in OpenTelemetry.</summary>
    public const string MeterName = "OrleansFleet.Streaming";

    /// <summary>The counter of dead-lettered entries.</summary>
    public const string DeadLetteredName = "fleet.stream.dead_lettered";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        DeadLetteredName, unit: "{entry}", description: "Stream entries moved to the dead-letter destination instead of being delivered.");

    /// <summary>Counts one dead-lettered entry of provider <paramref name="provider"/>.</summary>
    public static void RecordDeadLetter(string provider, DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        DeadLettered.Add(1, new TagList { { "provider", provider }, { "kind", deadLetter.Kind } });
    }
}
