using System.Diagnostics;

namespace OrleansFleet.Bench.Storage;

/// <summary>
/// Many simulated devices calling <see cref="ITelemetryWriterGrain.WriteAsync"/> as device grains do: each sends its
/// readings in small batches and awaits each call before the next (a device grain is not reentrant, so it never has
/// two calls in flight), while all devices run at once. A completed call means its readings are durable, so only
/// completed calls count; a failed one is counted and its readings are not.
/// </summary>
internal static class WriterLoad
{
    /// <summary>Drives the load until every device has sent its readings or the time budget is spent.</summary>
    /// <param name="writer">The writer grain (key 0).</param>
    /// <param name="run">Prefix of this run's device ids, so runs never share partitions.</param>
    /// <param name="devices">Simulated devices calling at once.</param>
    /// <param name="readings">Readings in all, spread evenly over the devices.</param>
    /// <param name="perCall">Readings a device sends per call.</param>
    /// <param name="budget">No device starts a call after this; calls in flight still finish.</param>
    public static async Task<WriterLoadResult> RunAsync(ITelemetryWriterGrain writer, string run, int devices, int readings, int perCall, TimeSpan budget)
    {
        int perDevice = readings / devices;
        int written = 0;
        int failed = 0;
        string? firstFailure = null;
        Stopwatch clock = Stopwatch.StartNew();

        async Task DeviceAsync(int device)
        {
            // Yield first so the loop below starts every device before any of them runs: all begin together.
            await Task.Yield();
            string id = $"{run}-{device:D5}";
            for (int seq = 1; seq <= perDevice && clock.Elapsed <= budget; seq += perCall)
            {
                int count = Math.Min(perCall, perDevice - seq + 1);
                TelemetryEvent[] batch = [.. Enumerable.Range(seq, count).Select(s => Workload.Reading(id, s))];
                try
                {
                    await writer.WriteAsync(new TelemetryReadings(batch));
                    Interlocked.Add(ref written, count);
                }
                catch (Exception ex)
                {
                    // A real device grain would leave these unacknowledged for redelivery; here they are simply not counted.
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstFailure, $"{ex.GetType().Name}: {ex.Message}", null);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, devices).Select(DeviceAsync));
        clock.Stop();
        return new WriterLoadResult(written, perDevice * devices, failed, firstFailure, clock.Elapsed);
    }
}
