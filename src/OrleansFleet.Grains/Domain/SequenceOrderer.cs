using OrleansFleet.Grains.State;

namespace OrleansFleet.Grains.Domain;

/// <summary>
/// Puts one device's events in <c>seq</c> order, whatever order they arrive in. The next expected event is applied at
/// once; one at or below the last applied is a duplicate (this is what makes at-least-once delivery safe) unless its
/// seq was skipped as a gap, which makes it late; one further ahead is held until the gap fills, the buffer is full,
/// or the hold time passes, and then applied past the gap. Events without <c>seq</c> are applied in arrival order.
/// </summary>
/// <remarks>
/// The hold is measured on the partition's stream clock when the event came through the stream: it expires once the
/// partition has delivered <c>holdTime</c> worth of appends after the held one, so a lagging stream, which delivers
/// slowly, waits as long as it lags and never skips a gap whose missing event is still in it. Events that came by a
/// direct call (no stream time) are held on the server clock. <paramref name="streamHoldBackstop"/> bounds the wait on
/// the stream clock by server time, for a partition that stops delivering altogether.
/// Works on <see cref="DeviceState"/> so the held events are checkpointed with the rest of the device.
/// </remarks>
public sealed class SequenceOrderer(DeviceState state, int bufferSize, TimeSpan holdTime, TimeSpan streamHoldBackstop)
{
    /// <summary>Most skipped ranges remembered; beyond it the oldest is forgotten and its late events count as duplicates.</summary>
    public const int MaxSkippedRanges = 64;

    /// <summary>Creates an orderer whose stream-clock hold is backed by ten times the hold time on the server clock.</summary>
    public SequenceOrderer(DeviceState state, int bufferSize, TimeSpan holdTime)
        : this(state, bufferSize, holdTime, holdTime * 10)
    {
    }

    /// <summary>What became of a received event.</summary>
    public enum Outcome
    {
        /// <summary>Applied now (possibly followed by held events it unblocked).</summary>
        Applied,
        /// <summary>Held back waiting for a missing <c>seq</c>.</summary>
        Held,
        /// <summary>Dropped: its <c>seq</c> was already applied or is already held.</summary>
        Duplicate,
        /// <summary>Its <c>seq</c> had been skipped as a gap: handed to the late callback, not applied.</summary>
        Late,
    }

    /// <summary>Takes one event that came outside the stream; calls <paramref name="apply"/> for every event that is now next in order.</summary>
    public Outcome Receive(TelemetryEvent telemetry, DateTimeOffset now, Action<TelemetryEvent> apply) =>
        Receive(telemetry, now, null, apply, static _ => { });

    /// <summary>
    /// Takes one event at server time <paramref name="now"/> and, when it came through the stream, stream time
    /// <paramref name="streamTime"/>; calls <paramref name="apply"/> for every event that is now next in order and
    /// <paramref name="late"/> for a late one.
    /// </summary>
    public Outcome Receive(TelemetryEvent telemetry, DateTimeOffset now, DateTimeOffset? streamTime, Action<TelemetryEvent> apply, Action<TelemetryEvent> late)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(late);
        if (telemetry.Seq is not { } seq)
        {
            apply(telemetry);
            return Outcome.Applied;
        }

        if (seq <= state.LastSeq)
        {
            if (TakeSkipped(seq))
            {
                state.Late++;
                late(telemetry);
                return Outcome.Late;
            }

            state.Duplicates++;
            return Outcome.Duplicate;
        }

        if (IndexOfHeld(seq) >= 0)
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

        Hold(telemetry, now, streamTime);
        if (state.Pending.Count > bufferSize)
        {
            // Full: stop waiting for the gap and apply everything held, in order.
            FlushHeld(apply);
        }

        return Outcome.Held;
    }

    /// <summary>When the held events have waited the hold time, applies everything held, past the gaps (no stream time known).</summary>
    /// <returns>Whether anything was applied.</returns>
    public bool ExpireHeld(DateTimeOffset now, Action<TelemetryEvent> apply) => ExpireHeld(now, null, apply);

    /// <summary>When the held events have waited the hold time (on their clock), applies everything held, in order, past the gaps.</summary>
    /// <returns>Whether anything was applied.</returns>
    public bool ExpireHeld(DateTimeOffset now, DateTimeOffset? streamNow, Action<TelemetryEvent> apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        if (state.HeldSince is not { } since)
        {
            return false;
        }

        var expired = state.HeldSinceStream is { } streamSince
            ? (streamNow is { } stream && stream - streamSince >= holdTime) || now - since >= streamHoldBackstop
            : now - since >= holdTime;
        if (!expired)
        {
            return false;
        }

        FlushHeld(apply);
        return true;
    }

    /// <summary>When the held events expire by server time (the hold, or the backstop when held on the stream clock), if any are held.</summary>
    public DateTimeOffset? HeldUntil => state.HeldSinceStream is null ? state.HeldSince + holdTime : state.HeldSince + streamHoldBackstop;

    /// <summary>When the held events expire by stream time, if they are held on the stream clock.</summary>
    public DateTimeOffset? HeldUntilStreamTime => state.HeldSinceStream + holdTime;

    private void Hold(TelemetryEvent telemetry, DateTimeOffset now, DateTimeOffset? streamTime)
    {
        var index = ~IndexOfHeld(telemetry.Seq!.Value);
        state.Pending.Insert(index, telemetry);
        if (state.HeldSince is null)
        {
            state.HeldSince = now;
            state.HeldSinceStream = streamTime;
        }
    }

    private void FlushHeld(Action<TelemetryEvent> apply)
    {
        foreach (var held in state.Pending)
        {
            if (held.Seq > state.LastSeq + 1)
            {
                state.Gaps++;
                RememberSkipped(new SeqRange(state.LastSeq + 1, held.Seq.Value - 1));
            }

            ApplyInOrder(held, apply);
        }

        state.Pending.Clear();
        state.HeldSince = null;
        state.HeldSinceStream = null;
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
            if (state.Pending.Count == 0)
            {
                state.HeldSince = null;
                state.HeldSinceStream = null;
            }
        }
    }

    private void RememberSkipped(SeqRange range)
    {
        state.Skipped.Add(range);
        if (state.Skipped.Count > MaxSkippedRanges)
        {
            state.Skipped.RemoveAt(0);
        }
    }

    /// <summary>Removes <paramref name="seq"/> from the skipped ranges; whether it was in one.</summary>
    private bool TakeSkipped(long seq)
    {
        var skipped = state.Skipped;
        for (var i = skipped.Count - 1; i >= 0; i--)
        {
            var range = skipped[i];
            if (seq < range.First || seq > range.Last)
            {
                continue;
            }

            // Split the range around the seq, so a second copy of the same late event is a duplicate.
            skipped.RemoveAt(i);
            if (seq < range.Last)
            {
                skipped.Insert(i, new SeqRange(seq + 1, range.Last));
            }

            if (seq > range.First)
            {
                skipped.Insert(i, new SeqRange(range.First, seq - 1));
            }

            return true;
        }

        return false;
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
