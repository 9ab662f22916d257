using Xunit;

namespace OrleansFleet.Streaming.Testing;

/// <summary>Assertions on what the real device grains applied, read from their live views.</summary>
public static class StreamAssert
{
    /// <summary>Every device applied exactly seq 1..<paramref name="count"/>: last seq, applied count, no gap, nothing held, nothing late.</summary>
    public static async Task AppliedInOrderAsync(IGrainFactory grains, IEnumerable<string> devices, long count)
    {
        ArgumentNullException.ThrowIfNull(grains);
        foreach (var device in devices)
        {
            var view = await grains.GetGrain<IDeviceGrain>(device).GetViewAsync();
            Assert.NotNull(view);
            Assert.Equal((device, count, count, 0L, 0, 0L), (device, view.LastSeq, view.Counters.Applied, view.Counters.Gaps, view.Pending, view.Counters.Late));
        }
    }

    /// <summary>Whether every device has applied its last seq.</summary>
    public static async Task<bool> AllReachedAsync(IGrainFactory grains, IEnumerable<string> devices, long seq)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var views = await Task.WhenAll(devices.Select(d => grains.GetGrain<IDeviceGrain>(d).GetViewAsync()));
        return views.All(v => v is not null && v.LastSeq >= seq);
    }

    /// <summary>How many of <paramref name="devices"/> have applied <paramref name="seq"/>, for progress messages.</summary>
    public static int Reached(IGrainFactory grains, IEnumerable<string> devices, long seq)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return devices.Count(d => grains.GetGrain<IDeviceGrain>(d).GetViewAsync().GetAwaiter().GetResult() is { } v && v.LastSeq >= seq);
    }

    /// <summary>The device's live view.</summary>
    public static Task<DeviceView?> ViewAsync(IGrainFactory grains, string device)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IDeviceGrain>(device).GetViewAsync();
    }
}
