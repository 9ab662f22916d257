namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>Waits for a condition by polling it against a deadline, instead of sleeping a guessed time.</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> attempt, TimeSpan timeout, string what)
        where T : class
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await attempt() is { } result)
            {
                return result;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
