using Orleans.Streams;

namespace OrleansFleet.Streaming;

/// <summary>
/// One transport entry (one device's <see cref="TelemetryBatch"/>) as Orleans' persistent streams carry it: the
/// pulling agent caches it, hands it to the device's consumer (possibly on another silo, hence serializable), and
/// finally gives it back to the receiver as delivered, which is when the entry is acknowledged.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.TelemetryBatchContainer")]
public sealed class TelemetryBatchContainer : IBatchContainer
{
    [Id(0)]
    private readonly StreamId _streamId;

    [Id(1)]
    private readonly TelemetryBatch _batch;

    [Id(2)]
    private readonly PartitionSequenceToken _token;

    /// <summary>Creates a container.</summary>
    public TelemetryBatchContainer(StreamId streamId, TelemetryBatch batch, PartitionSequenceToken token)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(token);
        _streamId = streamId;
        _batch = batch;
        _token = token;
    }

    /// <inheritdoc />
    public StreamId StreamId => _streamId;

    /// <inheritdoc />
    public StreamSequenceToken SequenceToken => _token;

    /// <summary>The token with the transport position.</summary>
    public PartitionSequenceToken Token => _token;

    /// <summary>The device's events.</summary>
    public TelemetryBatch Batch => _batch;

    /// <inheritdoc />
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        // The whole batch is one stream item: the device grain receives its events together and orders them by seq.
        if (_batch is T item)
        {
            yield return Tuple.Create<T, StreamSequenceToken>(item, _token);
        }
    }

    /// <inheritdoc />
    /// <remarks>Entries come from producers in any language, so no Orleans request context travels with them.</remarks>
    public bool ImportRequestContext() => false;
}
