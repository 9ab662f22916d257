namespace OrleansFleet.Simulator;

/// <summary>An event queued for sending, with what the caller needs back when it is accepted.</summary>
/// <param name="Event">The event.</param>
/// <param name="Index">The caller's number for it (the benchmark's workload index), handed back on acceptance.</param>
/// <param name="IngestTimestamp">When it entered the generator (<see cref="System.Diagnostics.Stopwatch"/> ticks), for ingest-to-apply latency.</param>
public readonly record struct OutgoingEvent(TelemetryEvent Event, int Index, long IngestTimestamp);
