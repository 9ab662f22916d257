namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// Makes every <c>IDeviceGrain.ApplyAsync</c> take <paramref name="delay"/> longer, so the partition consumers (which
/// await their devices before taking the next batch) fall behind and the stream lags.
/// </summary>
internal sealed class SlowDeviceFilter(TimeSpan delay) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IDeviceGrain) && context.InterfaceMethod.Name == nameof(IDeviceGrain.ApplyAsync))
        {
            await Task.Delay(delay);
        }

        await context.Invoke();
    }
}
