namespace OrleansFleet.Bench.Variants;

/// <summary>
/// An Orleans incoming grain call filter that sees every <c>IDeviceGrain.ApplyAsync</c> (and raw-Orleans) batch as the grain is about
/// to run it. Incoming filters run inside the activation's turn, so for one device they run one at a time, in the
/// order the grain really processes its calls: the same point where the pools' apply hook sits. It counts events
/// handed to a device with a lower seq than one already handed to it.
/// </summary>
public sealed class ApplyOrderAudit(IReadOnlyDictionary<string, int> deviceIndex) : IIncomingGrainCallFilter
{
    private readonly long[] _lastHanded = new long[deviceIndex.Count];
    private long _violations;

    /// <summary>Out-of-order events seen so far.</summary>
    public long Violations => Interlocked.Read(ref _violations);

    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.GetArgumentCount() == 1)
        {
            switch (context.Request.GetArgument(0))
            {
                case TelemetryBatch batch:
                    Audit(batch.Events, out _);
                    break;
                case Raw.RawBatch raw:
                    Audit(raw.Events, out _);
                    break;
            }
        }

        return context.Invoke();
    }

    /// <summary>
    /// Counts <paramref name="events"/> handed out of order; call it where the grain is about to apply the batch,
    /// inside the activation's turn. Returns whether the batch belongs to a known device.
    /// </summary>
    public bool Audit(IReadOnlyList<TelemetryEvent> events, out int device)
    {
        ArgumentNullException.ThrowIfNull(events);
        device = -1;
        if (events.Count == 0 || !deviceIndex.TryGetValue(events[0].DeviceId, out device))
        {
            return false;
        }

        foreach (var telemetry in events)
        {
            var seq = telemetry.Seq ?? 0;
            if (seq < _lastHanded[device])
            {
                Interlocked.Increment(ref _violations);
            }
            else
            {
                _lastHanded[device] = seq;
            }
        }

        return true;
    }
}
