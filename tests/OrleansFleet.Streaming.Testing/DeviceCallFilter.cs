namespace OrleansFleet.Streaming.Testing;

/// <summary>An incoming call filter on the device grains: counts <c>ApplyAsync</c> and fails it as <see cref="DeviceCalls"/> says.</summary>
public sealed class DeviceCallFilter : IIncomingGrainCallFilter
{
    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InterfaceMethod?.DeclaringType == typeof(IDeviceGrain) && context.InterfaceMethod.Name == nameof(IDeviceGrain.ApplyAsync))
        {
            DeviceCalls.Enter(context.TargetId.Key.ToString());
        }

        return context.Invoke();
    }
}
