using System.Diagnostics;

namespace OrleansFleet.Simulator;

/// <summary>Feeds a <see cref="TrafficSource"/> into a <see cref="LoadGenerator"/> at a rate (or as fast as accepted), for a bounded time and count.</summary>
public static class TrafficDriver
{
    /// <summary>Produces until <paramref name="duration"/> or <paramref name="maxEvents"/>; returns how many events were queued.</summary>
    /// <param name="source">The traffic.</param>
    /// <param name="generator">Where it goes.</param>
    /// <param name="rate">Events per second; 0 or less means as fast as the API accepts.</param>
    /// <param name="duration">How long to produce.</param>
    /// <param name="maxEvents">Upper bound on events, whatever the duration.</param>
    /// <param name="cancellationToken">Stops producing.</param>
    public static async Task<long> RunAsync(TrafficSource source, LoadGenerator generator, double rate, TimeSpan duration, long maxEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(generator);
        var clock = Stopwatch.StartNew();
        long produced = 0;
        while (produced < maxEvents && clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            if (!source.TryNext(out var telemetry, out var device))
            {
                break;
            }

            await generator.SendAsync(telemetry, device, (int)(produced % int.MaxValue), cancellationToken);
            produced++;
            if (rate > 0 && produced % 100 == 0)
            {
                // Paced in steps of 100 events: ahead of schedule means sleep until the schedule catches up.
                var due = TimeSpan.FromSeconds(produced / rate);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken);
                }
            }
        }

        return produced;
    }
}
