using System.Diagnostics;

namespace OrleansFleet.Testing;

/// <summary>Polls a condition until it holds or a deadline passes; never a blind sleep.</summary>
public static class Poll
{
    /// <summary>Waits for <paramref name="condition"/>; fails with <paramref name="what"/> and the last state when time runs out.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? state = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for: {what}. {state?.Invoke()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Synchronous-condition form.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? state = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, state);
}
