using Microsoft.Extensions.Time.Testing;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// A fake clock whose timers can be told to fire a little before their due time, as real timers sometimes do (the
/// clock and the timer queue are not the same source). Time itself comes from the wrapped <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class EarlyFiringTimeProvider(FakeTimeProvider clock) : TimeProvider
{
    /// <summary>How much earlier than asked a timer created or changed from now on fires; zero by default.</summary>
    public TimeSpan FireEarlyBy { get; set; }

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new EarlyTimer(this, clock.CreateTimer(callback, state, Early(dueTime), period));

    // A due time no longer than the shift stays as it is, so a timer re-armed for the rest of the wait fires on time.
    private TimeSpan Early(TimeSpan dueTime) => dueTime > FireEarlyBy && dueTime != Timeout.InfiniteTimeSpan ? dueTime - FireEarlyBy : dueTime;

    private sealed class EarlyTimer(EarlyFiringTimeProvider owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Early(dueTime), period);

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
