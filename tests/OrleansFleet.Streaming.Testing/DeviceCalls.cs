using System.Collections.Concurrent;

namespace OrleansFleet.Streaming.Testing;

/// <summary>
/// Counts the partition consumers' calls to each device's <c>ApplyAsync</c> and makes them fail on request, shared
/// by every silo of the process (<see cref="DeviceCallFilter"/> reads it). The devices themselves are the real
/// <c>DeviceGrain</c>: what they applied is read from their live views.
/// </summary>
public static class DeviceCalls
{
    private static readonly ConcurrentDictionary<string, int> FailuresLeft = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> Calls = new(StringComparer.Ordinal);

    /// <summary>Makes the next <paramref name="times"/> calls of <paramref name="deviceId"/> throw (int.MaxValue: always).</summary>
    public static void FailNext(string deviceId, int times) => FailuresLeft[deviceId] = times;

    /// <summary>How many <c>ApplyAsync</c> calls the device got (including failed ones).</summary>
    public static int CallsFor(string deviceId) => Calls.GetValueOrDefault(deviceId);

    /// <summary>Counts a call; throws when a failure is planned for the device.</summary>
    internal static void Enter(string deviceId)
    {
        Calls.AddOrUpdate(deviceId, 1, (_, n) => n + 1);
        if (FailuresLeft.TryGetValue(deviceId, out var left) && left > 0)
        {
            FailuresLeft[deviceId] = left == int.MaxValue ? left : left - 1;
            throw new InvalidOperationException($"planned failure for {deviceId}");
        }
    }
}
