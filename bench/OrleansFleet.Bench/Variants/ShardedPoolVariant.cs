using System.Diagnostics;
using System.Threading.Channels;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// The sharded per-key pool: one channel and one worker per shard, each device routed to a fixed shard, so a device's
/// events are handled by one thread in arrival order and need no lock. Per-item hands over events one by one; batched
/// hands over chunks of up to 256 events per shard, which amortizes the channel cost: the practical limit of a
/// single process.
/// </summary>
public sealed class ShardedPoolVariant(bool batched) : IBenchVariant
{
    private const int ChunkSize = 256;

    /// <inheritdoc />
    public string Key => batched ? "sharded-batched" : "sharded-item";

    /// <inheritdoc />
    public string Name => batched ? "sharded pool, batched (256/chunk)" : "sharded pool, per item";

    /// <inheritdoc />
    public bool InProcess => true;

    /// <inheritdoc />
    public Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken) => Task.FromResult<IVariantRun>(new Run(workload, batched));

    private sealed class Run(Workload workload, bool batched) : ModelRun(workload)
    {
        public override async Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            var shards = Environment.ProcessorCount;
            if (batched)
            {
                await RunBatchedAsync(range, shards, recorder, cancellationToken);
                return;
            }

            var channels = Enumerable.Range(0, shards)
                .Select(_ => Channel.CreateBounded<int>(new BoundedChannelOptions(4_096) { SingleReader = true, SingleWriter = true }))
                .ToArray();
            var workers = channels.Select(c => Task.Run(() => WorkAsync(c.Reader, recorder, cancellationToken), cancellationToken)).ToArray();
            for (var i = range.Start; i < range.End; i++)
            {
                recorder.Ingest(i);
                await channels[Workload.DeviceOf[i] % shards].Writer.WriteAsync(i, cancellationToken);
            }

            foreach (var channel in channels)
            {
                channel.Writer.Complete();
            }

            await Task.WhenAll(workers);
        }

        private async Task WorkAsync(ChannelReader<int> reader, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                while (reader.TryRead(out var index))
                {
                    Applier.Apply(index, DateTimeOffset.UtcNow);
                    recorder.Applied1(index, Stopwatch.GetTimestamp());
                }
            }
        }

        private async Task RunBatchedAsync(EventRange range, int shards, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            // Chunks are recycled through a pool channel, so the steady state allocates nothing.
            var free = Channel.CreateUnbounded<int[]>();
            var channels = Enumerable.Range(0, shards)
                .Select(_ => Channel.CreateBounded<(int[] Chunk, int Count)>(new BoundedChannelOptions(32) { SingleReader = true, SingleWriter = true }))
                .ToArray();
            var workers = channels.Select(c => Task.Run(() => WorkBatchedAsync(c.Reader, free.Writer, recorder, cancellationToken), cancellationToken)).ToArray();
            var open = new int[shards][];
            var fill = new int[shards];
            long chunks = 0;
            for (var i = range.Start; i < range.End; i++)
            {
                recorder.Ingest(i);
                var shard = Workload.DeviceOf[i] % shards;
                var chunk = open[shard] ??= free.Reader.TryRead(out var recycled) ? recycled : new int[ChunkSize];
                chunk[fill[shard]++] = i;
                if (fill[shard] == ChunkSize)
                {
                    await channels[shard].Writer.WriteAsync((chunk, ChunkSize), cancellationToken);
                    chunks++;
                    open[shard] = null!;
                    fill[shard] = 0;
                }
            }

            for (var shard = 0; shard < shards; shard++)
            {
                if (fill[shard] > 0)
                {
                    await channels[shard].Writer.WriteAsync((open[shard], fill[shard]), cancellationToken);
                    chunks++;
                }

                channels[shard].Writer.Complete();
            }

            await Task.WhenAll(workers);
            Dispatches = chunks;
        }

        private async Task WorkBatchedAsync(ChannelReader<(int[] Chunk, int Count)> reader, ChannelWriter<int[]> free, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                while (reader.TryRead(out var item))
                {
                    // One clock read per chunk, as the grain reads it once per batch.
                    var now = DateTimeOffset.UtcNow;
                    for (var k = 0; k < item.Count; k++)
                    {
                        Applier.Apply(item.Chunk[k], now);
                    }

                    recorder.AppliedMany(item.Chunk.AsSpan(0, item.Count), Stopwatch.GetTimestamp());
                    free.TryWrite(item.Chunk);
                }
            }
        }
    }
}
