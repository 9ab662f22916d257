using System.Collections.Concurrent;

namespace OrleansFleet.Streaming.Testing;

/// <summary>
/// What the test consumer grain applied, per device, shared across silos in the process (it plays the part of the
/// device grain's persisted state, which survives a silo crash). Like the real device grain, it drops an event whose
/// seq is at or below the last applied one as a duplicate; an event that skips ahead is applied and so shows up as an
/// order violation in the assertions.
/// </summary>
public static class DeliveryRecorder
{
    private static readonly ConcurrentDictionary<string, DeviceLog> Devices = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> FailuresLeft = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> Calls = new(StringComparer.Ordinal);

    /// <summary>Makes the consumer throw for the next <paramref name="times"/> batches of <paramref name="deviceId"/> (int.MaxValue: always).</summary>
    public static void FailNext(string deviceId, int times) => FailuresLeft[deviceId] = times;

    /// <summary>How many batches of the device the consumer was handed (including failed ones).</summary>
    public static int CallsFor(string deviceId) => Calls.GetValueOrDefault(deviceId);

    /// <summary>Records a batch, or throws when a failure is planned for the device.</summary>
    public static void Apply(TelemetryBatch batch)
    {
        var deviceId = batch.Events[0].DeviceId;
        Calls.AddOrUpdate(deviceId, 1, (_, n) => n + 1);
        if (FailuresLeft.TryGetValue(deviceId, out var left) && left > 0)
        {
            FailuresLeft[deviceId] = left == int.MaxValue ? left : left - 1;
            throw new InvalidOperationException($"planned failure for {deviceId}");
        }

        var log = Devices.GetOrAdd(deviceId, _ => new DeviceLog());
        lock (log)
        {
            foreach (var e in batch.Events)
            {
                var seq = e.Seq ?? 0;
                if (seq <= log.LastSeq)
                {
                    log.Duplicates++;
                    continue;
                }

                log.Applied.Add(seq);
                log.LastSeq = seq;
            }
        }
    }

    /// <summary>The seqs applied for the device, in application order.</summary>
    public static long[] Applied(string deviceId)
    {
        if (!Devices.TryGetValue(deviceId, out var log))
        {
            return [];
        }

        lock (log)
        {
            return [.. log.Applied];
        }
    }

    /// <summary>Duplicates dropped for the device.</summary>
    public static int Duplicates(string deviceId)
    {
        if (!Devices.TryGetValue(deviceId, out var log))
        {
            return 0;
        }

        lock (log)
        {
            return log.Duplicates;
        }
    }

    private sealed class DeviceLog
    {
        public List<long> Applied { get; } = [];

        public long LastSeq { get; set; }

        public int Duplicates { get; set; }
    }
}
