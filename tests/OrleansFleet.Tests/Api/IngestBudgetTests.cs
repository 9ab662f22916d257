using Microsoft.Extensions.Time.Testing;
using OrleansFleet.Streaming;

namespace OrleansFleet.Tests.Api;

/// <summary>The memory streams' admission budget: whole requests in or out, and a bounded wait for room.</summary>
public sealed class IngestBudgetTests
{
    [Fact]
    public async Task A_request_that_does_not_fit_is_admitted_as_soon_as_enough_is_given_back()
    {
        var budget = new IngestBudget(100, new FakeTimeProvider());
        Assert.True(budget.TryAcquire(80));

        var waiting = budget.AcquireAsync(50, TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        // Not enough yet: 80 - 10 + 50 is still over 100.
        budget.Release(10);
        await Task.Yield();
        Assert.False(waiting.IsCompleted);

        budget.Release(40);
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(80, budget.Used);
    }

    [Fact]
    public async Task A_request_still_without_room_after_the_wait_is_refused_and_takes_nothing()
    {
        var time = new FakeTimeProvider();
        var budget = new IngestBudget(100, time);
        Assert.True(budget.TryAcquire(80));

        var waiting = budget.AcquireAsync(50, TimeSpan.FromSeconds(1), CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(80, budget.Used);
    }

    [Fact]
    public async Task A_zero_wait_refuses_at_once()
    {
        var budget = new IngestBudget(100, new FakeTimeProvider());
        Assert.True(budget.TryAcquire(100));

        var admitted = budget.AcquireAsync(1, TimeSpan.Zero, CancellationToken.None);

        Assert.True(admitted.IsCompleted);
        Assert.False(await admitted);
    }
}
