namespace OrleansFleet.Streaming.Kafka;

/// <summary>
/// Kafka's default key partitioner, as the Java client (and librdkafka's <c>murmur2</c>/<c>murmur2_random</c>) computes
/// it: <c>(murmur2(key) &amp; 0x7fffffff) % partitions</c>. The provider's producer uses librdkafka's implementation; this
/// copy lets the Orleans queue mapper name the partition a device's records land in.
/// </summary>
public static class KafkaKeyPartitioner
{
    /// <summary>The partition of a UTF-8 key among <paramref name="partitionCount"/> partitions.</summary>
    public static int PartitionOf(ReadOnlySpan<byte> key, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return (int)((Murmur2(key) & 0x7fffffff) % (uint)partitionCount);
    }

    /// <summary>Kafka's 32-bit murmur2 with its fixed seed.</summary>
    public static uint Murmur2(ReadOnlySpan<byte> data)
    {
        const uint Seed = 0x9747b28c;
        const uint M = 0x5bd1e995;
        const int R = 24;
        var length = data.Length;
        var h = Seed ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = (uint)(data[i * 4] | (data[(i * 4) + 1] << 8) | (data[(i * 4) + 2] << 16) | (data[(i * 4) + 3] << 24));
            k *= M;
            k ^= k >> R;
            k *= M;
            h *= M;
            h ^= k;
        }

        var tail = length & ~3;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= M;
                break;
        }

        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return h;
    }
}
