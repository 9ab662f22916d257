using System.Text;

namespace OrleansFleet.Streaming;

/// <summary>
/// The one place that decides which partition carries a device's telemetry. Every producer (the API through Orleans,
/// a gateway writing to Redis directly, in any language) must agree on it, so it is a fixed, documented
/// function of the id's bytes: <c>partition = FNV-1a-32(UTF-8(deviceId)) mod partitionCount</c>.
/// <c>string.GetHashCode</c> is randomized per process and would scatter one device over several partitions.
/// </summary>
public static class DevicePartitioner
{
    private const uint FnvOffsetBasis = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>The partition of <paramref name="deviceId"/> among <paramref name="partitionCount"/> partitions.</summary>
    public static int PartitionOf(string deviceId, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        Span<byte> buffer = stackalloc byte[512];
        var byteCount = Encoding.UTF8.GetByteCount(deviceId);
        var bytes = byteCount <= buffer.Length ? buffer[..byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(deviceId, bytes);
        return PartitionOf(bytes, partitionCount);
    }

    /// <summary>The partition of a device id given as UTF-8 bytes (an Orleans stream key is stored that way).</summary>
    public static int PartitionOf(ReadOnlySpan<byte> utf8DeviceId, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return (int)(Fnv1a32(utf8DeviceId) % (uint)partitionCount);
    }

    /// <summary>32-bit FNV-1a, the hash named in the docs so foreign producers can reproduce it in a few lines.</summary>
    public static uint Fnv1a32(ReadOnlySpan<byte> data)
    {
        var hash = FnvOffsetBasis;
        foreach (var b in data)
        {
            hash ^= b;
            hash *= FnvPrime;
        }

        return hash;
    }
}
