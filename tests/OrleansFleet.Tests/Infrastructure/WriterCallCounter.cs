using System.Collections.Concurrent;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// Counts, per device, the readings handed to the telemetry writer. It counts after the writer's turn has taken them
/// into its open batch (the call's synchronous part), so once a device is counted its readings wait in a batch.
/// </summary>
internal sealed class WriterCallCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, int> _handedOver = new(StringComparer.Ordinal);

    /// <summary>How many of <paramref name="deviceIds"/> have handed readings to the writer.</summary>
    public int DevicesHandedOver(IEnumerable<string> deviceIds) => deviceIds.Count(_handedOver.ContainsKey);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var call = context.Invoke();
        if (context.Request.GetArgumentCount() == 1 && context.Request.GetArgument(0) is TelemetryReadings readings)
        {
            foreach (var device in readings.Items.Select(r => r.DeviceId).Distinct())
            {
                _handedOver.AddOrUpdate(device, 1, (_, n) => n + 1);
            }
        }

        await call;
    }
}
