using OrleansFleet.Grains.State;

namespace OrleansFleet.Grains.Domain;

/// <summary>
/// Puts one device's events in <c>seq</c> order, whatever order they arrive in. The next expected event is applied at
/// once; one at or below the last applied is a duplicate (this is what makes at-least-once delivery safe); one further
/// ahead is held until the gap fills, the buffer is full, or the hold time passes, and then applied past the gap.
/// Events without <c>seq</c> are applied in arrival order.
/// </summary>
/// <remarks>Works on <see cref="DeviceState"/> so the held events are persisted with the rest of the device.</remarks>
public sealed class SequenceOrderer(DeviceState state, int bufferSize, TimeSpan holdTime)
{
    /// <summary>What became of a received event.</summary>
    public enum Outcome
    {
        /// <summary>Applied now (possibly followed by held events it unblocked).</summary>
        Applied,
        /// <summary>Held back waiting for a missing <c>seq</c>.</summary>
        Held,
        /// <summary>Dropped: its <c>seq</c> was already applied or is already held.</summary>
        Duplicate,
    }

    /// <summary>Takes one event; calls <paramref name="apply"/> for every event that is now next in order.</summary>
    public Outcome Receive(TelemetryEvent telemetry, DateTimeOffset now, Action<TelemetryEvent> apply)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(apply);
        if (telemetry.Seq is not { } seq)
        {
            apply(telemetry);
            return Outcome.Applied;
        }

        if (seq <= state.LastSeq || IndexOfHeld(seq) >= 0)
        {
            state.Duplicates++;
            return Outcome.Duplicate;
        }

        if (seq == state.LastSeq + 1)
        {
            ApplyInOrder(telemetry, apply);
            DrainContiguous(apply);
            return Outcome.Applied;
        }

        Hold(telemetry, now);
        if (state.Pending.Count > bufferSize)
        {
            // Full: stop waiting for the gap and apply everything held, in order.
            FlushHeld(apply);
        }

        return Outcome.Held;
    }

    /// <summary>When the oldest held event has waited the hold time, applies everything held, in order, past the gaps.</summary>
    /// <returns>Whether anything was applied.</returns>
    public bool ExpireHeld(DateTimeOffset now, Action<TelemetryEvent> apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        if (state.HeldSince is not { } since || now - since < holdTime)
        {
            return false;
        }

        FlushHeld(apply);
        return true;
    }

    /// <summary>When the held events expire, if any are held.</summary>
    public DateTimeOffset? HeldUntil => state.HeldSince + holdTime;

    private void Hold(TelemetryEvent telemetry, DateTimeOffset now)
    {
        var index = ~IndexOfHeld(telemetry.Seq!.Value);
        state.Pending.Insert(index, telemetry);
        state.HeldSince ??= now;
    }

    private void FlushHeld(Action<TelemetryEvent> apply)
    {
        foreach (var held in state.Pending)
        {
            if (held.Seq > state.LastSeq + 1)
            {
                state.Gaps++;
            }

            ApplyInOrder(held, apply);
        }

        state.Pending.Clear();
        state.HeldSince = null;
    }

    private void DrainContiguous(Action<TelemetryEvent> apply)
    {
        var next = 0;
        while (next < state.Pending.Count && state.Pending[next].Seq == state.LastSeq + 1)
        {
            ApplyInOrder(state.Pending[next], apply);
            next++;
        }

        if (next > 0)
        {
            state.Pending.RemoveRange(0, next);
            // What is still held keeps its hold clock: it has waited that long already.
            state.HeldSince = state.Pending.Count > 0 ? state.HeldSince : null;
        }
    }

    private void ApplyInOrder(TelemetryEvent telemetry, Action<TelemetryEvent> apply)
    {
        state.LastSeq = telemetry.Seq!.Value;
        apply(telemetry);
    }

    private int IndexOfHeld(long seq)
    {
        // Pending is kept sorted by seq; binary search finds the event or where it belongs.
        int lo = 0, hi = state.Pending.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var midSeq = state.Pending[mid].Seq!.Value;
            if (midSeq == seq)
            {
                return mid;
            }

            if (midSeq < seq)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
