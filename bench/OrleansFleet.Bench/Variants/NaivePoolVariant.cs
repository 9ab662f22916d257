using System.Diagnostics;
using System.Threading.Channels;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// The naive worker pool: one shared bounded channel, N workers, whichever worker is free takes the next event.
/// A per-device lock keeps the device model from being corrupted, but nothing keeps a device's events in order:
/// two workers can hold consecutive events of one device and the later one can win the lock. The apply hook counts
/// those; the model's reorder buffer then has to repair them.
/// </summary>
public sealed class NaivePoolVariant : IBenchVariant
{
    /// <inheritdoc />
    public string Key => "naive-pool";

    /// <inheritdoc />
    public string Name => "naive pool (shared channel)";

    /// <inheritdoc />
    public bool InProcess => true;

    /// <inheritdoc />
    public Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken) => Task.FromResult<IVariantRun>(new Run(workload));

    private sealed class Run(Workload workload) : ModelRun(workload)
    {
        public override async Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            var channel = Channel.CreateBounded<int>(new BoundedChannelOptions(8_192) { SingleWriter = true });
            var workers = Enumerable.Range(0, Environment.ProcessorCount)
                .Select(_ => Task.Run(() => WorkAsync(channel.Reader, recorder, cancellationToken), cancellationToken))
                .ToArray();
            for (var i = range.Start; i < range.End; i++)
            {
                recorder.Ingest(i);
                await channel.Writer.WriteAsync(i, cancellationToken);
            }

            channel.Writer.Complete();
            await Task.WhenAll(workers);
        }

        private async Task WorkAsync(ChannelReader<int> reader, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                while (reader.TryRead(out var index))
                {
                    lock (Applier.Gate(Workload.DeviceOf[index]))
                    {
                        Applier.Apply(index, DateTimeOffset.UtcNow);
                    }

                    recorder.Applied1(index, Stopwatch.GetTimestamp());
                }
            }
        }
    }
}
