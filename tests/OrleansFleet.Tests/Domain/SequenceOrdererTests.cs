using Microsoft.Extensions.Time.Testing;
using OrleansFleet.Grains.Domain;
using OrleansFleet.Grains.State;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Domain;

public sealed class SequenceOrdererTests
{
    private readonly DeviceState _state = new();
    private readonly FakeTimeProvider _time = new(T0);
    private readonly List<long?> _applied = [];

    private SequenceOrderer Orderer(int bufferSize = 64, int holdSeconds = 5) => new(_state, bufferSize, TimeSpan.FromSeconds(holdSeconds));

    private SequenceOrderer.Outcome Receive(SequenceOrderer orderer, long? seq) =>
        orderer.Receive(Reading("d1", seq, 20), _time.GetUtcNow(), e => _applied.Add(e.Seq));

    [Fact]
    public void Events_in_order_are_applied_at_once()
    {
        var orderer = Orderer();
        foreach (var seq in new long[] { 1, 2, 3 })
        {
            Assert.Equal(SequenceOrderer.Outcome.Applied, Receive(orderer, seq));
        }

        Assert.Equal([1, 2, 3], _applied);
        Assert.Equal(3, _state.LastSeq);
    }

    [Fact]
    public void Seq_at_or_below_the_last_applied_is_a_duplicate_and_counted()
    {
        var orderer = Orderer();
        Receive(orderer, 1);
        Receive(orderer, 2);
        Assert.Equal(SequenceOrderer.Outcome.Duplicate, Receive(orderer, 2));
        Assert.Equal(SequenceOrderer.Outcome.Duplicate, Receive(orderer, 1));
        Assert.Equal([1, 2], _applied);
        Assert.Equal(2, _state.Duplicates);
    }

    [Fact]
    public void A_held_event_received_again_is_a_duplicate()
    {
        var orderer = Orderer();
        Assert.Equal(SequenceOrderer.Outcome.Held, Receive(orderer, 3));
        Assert.Equal(SequenceOrderer.Outcome.Duplicate, Receive(orderer, 3));
        Assert.Single(_state.Pending);
        Assert.Equal(1, _state.Duplicates);
    }

    [Fact]
    public void A_gap_is_held_until_the_missing_event_arrives_then_all_apply_in_order()
    {
        var orderer = Orderer();
        Receive(orderer, 4);
        Receive(orderer, 3);
        Receive(orderer, 2);
        Assert.Empty(_applied);
        Assert.Equal(3, _state.Pending.Count);

        Receive(orderer, 1);
        Assert.Equal([1, 2, 3, 4], _applied);
        Assert.Empty(_state.Pending);
        Assert.Null(_state.HeldSince);
        Assert.Equal(0, _state.Gaps);
    }

    [Fact]
    public void A_full_buffer_applies_the_held_events_in_order_past_the_gap()
    {
        var orderer = Orderer(bufferSize: 3);
        Receive(orderer, 1);
        foreach (var seq in new long[] { 6, 4, 5 })
        {
            Receive(orderer, seq);
        }

        Assert.Equal([1], _applied);
        Receive(orderer, 8); // the fourth held event overflows the buffer of three
        Assert.Equal([1, 4, 5, 6, 8], _applied);
        Assert.Equal(2, _state.Gaps); // 2–3 and 7 were skipped
        Assert.Equal(8, _state.LastSeq);
        Assert.Equal(SequenceOrderer.Outcome.Duplicate, Receive(orderer, 5));
    }

    [Fact]
    public void An_event_arriving_after_its_gap_was_skipped_is_late_once_and_a_duplicate_after_that()
    {
        var orderer = Orderer(bufferSize: 1);
        var late = new List<long?>();
        SequenceOrderer.Outcome Take(long seq) => orderer.Receive(Reading("d1", seq, 20), _time.GetUtcNow(), null, e => _applied.Add(e.Seq), e => late.Add(e.Seq));
        Take(1);
        Take(5);
        Take(6); // overflows the buffer of one: 2–4 are skipped
        Assert.Equal([1, 5, 6], _applied);

        Assert.Equal(SequenceOrderer.Outcome.Late, Take(3));
        Assert.Equal(SequenceOrderer.Outcome.Duplicate, Take(3));
        Assert.Equal(SequenceOrderer.Outcome.Late, Take(2));
        Assert.Equal(SequenceOrderer.Outcome.Late, Take(4));
        Assert.Equal(SequenceOrderer.Outcome.Duplicate, Take(5));
        Assert.Equal([3, 2, 4], late);
        Assert.Equal([1, 5, 6], _applied);
        Assert.Equal((3L, 2L, 1L), (_state.Late, _state.Duplicates, _state.Gaps));
        Assert.Empty(_state.Skipped);
    }

    [Fact]
    public void Events_held_on_the_stream_clock_wait_for_the_stream_not_for_the_server_clock()
    {
        var orderer = new SequenceOrderer(_state, 64, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));
        var appended = T0;
        orderer.Receive(Reading("d1", 1, 20), _time.GetUtcNow(), appended, e => _applied.Add(e.Seq), _ => { });
        orderer.Receive(Reading("d1", 3, 20), _time.GetUtcNow(), appended, e => _applied.Add(e.Seq), _ => { });

        // A lagging stream: 30 s of server time pass, but the partition has delivered only 4 s of later appends.
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(orderer.ExpireHeld(_time.GetUtcNow(), appended.AddSeconds(4), e => _applied.Add(e.Seq)));
        Assert.Equal(appended.AddSeconds(5), orderer.HeldUntilStreamTime);

        // The missing event is still in the stream and arrives: no gap.
        orderer.Receive(Reading("d1", 2, 20), _time.GetUtcNow(), appended.AddSeconds(4), e => _applied.Add(e.Seq), _ => { });
        Assert.Equal([1, 2, 3], _applied);
        Assert.Equal(0, _state.Gaps);
    }

    [Fact]
    public void Events_held_on_the_stream_clock_expire_once_the_stream_has_delivered_the_hold_time_or_at_the_backstop()
    {
        var orderer = new SequenceOrderer(_state, 64, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));
        orderer.Receive(Reading("d1", 1, 20), _time.GetUtcNow(), T0, e => _applied.Add(e.Seq), _ => { });
        orderer.Receive(Reading("d1", 3, 20), _time.GetUtcNow(), T0, e => _applied.Add(e.Seq), _ => { });
        Assert.True(orderer.ExpireHeld(_time.GetUtcNow(), T0.AddSeconds(5), e => _applied.Add(e.Seq)));
        Assert.Equal([1, 3], _applied);

        orderer.Receive(Reading("d1", 5, 20), _time.GetUtcNow(), T0.AddSeconds(6), e => _applied.Add(e.Seq), _ => { });
        Assert.Equal(_time.GetUtcNow().AddSeconds(60), orderer.HeldUntil);
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.True(orderer.ExpireHeld(_time.GetUtcNow(), null, e => _applied.Add(e.Seq)));
        Assert.Equal([1, 3, 5], _applied);
    }

    [Fact]
    public void Held_events_expire_after_the_hold_time_and_record_the_gap()
    {
        var orderer = Orderer(holdSeconds: 5);
        Receive(orderer, 1);
        Receive(orderer, 3);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(orderer.ExpireHeld(_time.GetUtcNow(), e => _applied.Add(e.Seq)));
        Assert.Equal(T0.AddSeconds(5), orderer.HeldUntil);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(orderer.ExpireHeld(_time.GetUtcNow(), e => _applied.Add(e.Seq)));
        Assert.Equal([1, 3], _applied);
        Assert.Equal(1, _state.Gaps);
        Assert.Null(orderer.HeldUntil);
    }

    [Fact]
    public void Events_without_seq_apply_in_arrival_order_even_while_others_are_held()
    {
        var orderer = Orderer();
        Receive(orderer, 2);
        Receive(orderer, null);
        Receive(orderer, null);
        Receive(orderer, 1);
        Assert.Equal([null, null, 1, 2], _applied);
        Assert.Equal(2, _state.LastSeq);
    }
}
