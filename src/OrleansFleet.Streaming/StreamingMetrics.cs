using System.Diagnostics.Metrics;

namespace OrleansFleet.Streaming;

/// <summary>
/// Instruments of the telemetry stream providers, on the meter <see cref="MeterName"/>. Created through
/// <see cref="IMeterFactory"/>, so each host (and each test host) has its own instruments that a listener can observe.
/// </summary>
public sealed class StreamingMetrics
{
    /// <summary>The meter of every OrleansFleet instrument.</summary>
    public const string MeterName = "OrleansFleet";

    /// <summary>The counter of dead-lettered entries.</summary>
    public const string DeadLetteredName = "fleet.stream.dead_lettered";

    private readonly Counter<long> _deadLettered;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    public StreamingMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _deadLettered = meterFactory.Create(MeterName).CreateCounter<long>(
            DeadLetteredName, unit: "{entry}", description: "Stream entries moved to the dead-letter destination instead of being delivered, by provider and kind.");
    }

    /// <summary>Counts one dead-lettered entry of provider <paramref name="provider"/>.</summary>
    public void RecordDeadLetter(string provider, DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        _deadLettered.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("kind", deadLetter.Kind));
    }
}
