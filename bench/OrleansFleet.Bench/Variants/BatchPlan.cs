using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// Fixed per-device batches over a range of events, computed once per workload, so every row that sends batches to a
/// grain or a persistent actor (OrleansFleet direct, raw Orleans, Akka.Persistence; the stream rows gather them into requests) sends exactly the
/// same calls: the comparison then measures the runtime and its persistence, not a batching policy that adapts to
/// the speed of the thing it feeds. The events are cut into windows of <see cref="EventsPerDevice"/> × devices events
/// (an API request stream's worth), and each device's events in a window form one batch, so uniform traffic gives
/// about five events per call and a hot device gets larger calls, capped at the API's request limit.
/// </summary>
public sealed class BatchPlan
{
    /// <summary>The average batch on uniform traffic the plan aims at (the "~5 events per call").</summary>
    public const int EventsPerDevice = 5;

    /// <summary>The most events in one batch (the API's per-request limit).</summary>
    public const int MaxBatch = 5_000;

    private BatchPlan(EventRange range, int[] indices, PlannedBatch[] batches)
    {
        Range = range;
        Indices = indices;
        Batches = batches;
    }

    /// <summary>The events the plan covers.</summary>
    public EventRange Range { get; }

    /// <summary>Event indices grouped by batch, batches in dispatch order.</summary>
    public int[] Indices { get; }

    /// <summary>The batches in dispatch order; a device's batches are in seq order.</summary>
    public PlannedBatch[] Batches { get; }

    /// <summary>The events of <paramref name="batch"/>, by workload index.</summary>
    public ReadOnlySpan<int> EventsOf(PlannedBatch batch) => Indices.AsSpan(batch.Offset, batch.Count);

    /// <summary>Cuts <paramref name="range"/> of <paramref name="workload"/> into batches.</summary>
    public static BatchPlan Build(Workload workload, EventRange range)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var window = Math.Max(1, workload.Plan.Count * EventsPerDevice);
        var indices = new int[range.Count];
        var batches = new List<PlannedBatch>(range.Count / EventsPerDevice + 16);
        var perDevice = new Dictionary<int, List<int>>();
        var filled = 0;
        for (var start = range.Start; start < range.End; start += window)
        {
            var end = Math.Min(range.End, start + window);
            perDevice.Clear();
            var order = new List<int>();
            for (var i = start; i < end; i++)
            {
                var device = workload.DeviceOf[i];
                if (!perDevice.TryGetValue(device, out var list))
                {
                    perDevice[device] = list = [];
                    order.Add(device);
                }

                list.Add(i);
            }

            // Devices leave in the order their first event of the window arrived, as requests would.
            foreach (var device in order)
            {
                var list = perDevice[device];
                for (var offset = 0; offset < list.Count; offset += MaxBatch)
                {
                    var count = Math.Min(MaxBatch, list.Count - offset);
                    list.CopyTo(offset, indices, filled, count);
                    batches.Add(new PlannedBatch(device, filled, count));
                    filled += count;
                }
            }
        }

        return new BatchPlan(range, indices, [.. batches]);
    }
}

/// <summary>One planned call: a device and where its events sit in <see cref="BatchPlan.Indices"/>.</summary>
/// <param name="Device">The device number.</param>
/// <param name="Offset">Where its event indices start.</param>
/// <param name="Count">How many events.</param>
public readonly record struct PlannedBatch(int Device, int Offset, int Count);
