namespace OrleansFleet.Streaming;

/// <summary>Chooses the partition of a device from its id's UTF-8 bytes; the same function producers use.</summary>
/// <param name="utf8DeviceId">The device id as UTF-8 (an Orleans stream key is stored that way).</param>
/// <param name="partitionCount">The number of partitions.</param>
public delegate int DevicePartitionFunction(ReadOnlySpan<byte> utf8DeviceId, int partitionCount);
