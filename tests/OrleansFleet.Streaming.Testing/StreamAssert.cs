using Xunit;

namespace OrleansFleet.Streaming.Testing;

/// <summary>Assertions on what devices received.</summary>
public static class StreamAssert
{
    /// <summary>Every device applied exactly seq 1..<paramref name="count"/>, in order.</summary>
    public static void AppliedInOrder(IEnumerable<string> devices, long count)
    {
        var expected = Enumerable.Range(1, (int)count).Select(i => (long)i).ToArray();
        foreach (var device in devices)
        {
            Assert.Equal(expected, DeliveryRecorder.Applied(device));
        }
    }

    /// <summary>Whether every device has applied its last seq.</summary>
    public static bool AllReached(IEnumerable<string> devices, long seq) =>
        devices.All(d => DeliveryRecorder.Applied(d) is { Length: > 0 } a && a[^1] >= seq);
}
