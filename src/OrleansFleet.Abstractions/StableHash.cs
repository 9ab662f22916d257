using System.Text;

namespace OrleansFleet;

/// <summary>
/// A hash of a string that is the same in every process, machine and .NET version (unlike
/// <see cref="string.GetHashCode()"/>, which is randomized per process). Anything that routes by device id across
/// processes (index shards, stream partitions) must use it, or two silos would disagree on where a device lives.
/// </summary>
public static class StableHash
{
    /// <summary>32-bit FNV-1a over the UTF-8 bytes of <paramref name="value"/>.</summary>
    public static uint Fnv1a(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> buffer = value.Length <= 256 ? stackalloc byte[value.Length * 3] : new byte[Encoding.UTF8.GetMaxByteCount(value.Length)];
        var length = Encoding.UTF8.GetBytes(value, buffer);
        var hash = 2166136261u;
        foreach (var b in buffer[..length])
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    /// <summary>Which of <paramref name="buckets"/> buckets <paramref name="value"/> falls in.</summary>
    public static int Bucket(string value, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        return (int)(Fnv1a(value) % (uint)buckets);
    }
}
