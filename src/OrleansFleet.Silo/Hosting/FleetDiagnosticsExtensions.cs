using OrleansFleet.Hosting;

namespace OrleansFleet.Silo.Hosting;

/// <summary>
/// What the silo adds for operators: distributed tracing of grain calls and Orleans' activation rebalancer in the
/// cluster modes (the dependency readiness checks come with the API both hosts serve, <c>AddFleetApi</c>).
/// </summary>
internal static class FleetDiagnosticsExtensions
{
    /// <summary>The setting that switches the activation rebalancer on or off (default: on in the cluster modes).</summary>
    public const string RebalancerKey = "Fleet:Placement:ActivationRebalancer";

    /// <summary>Adds activity propagation and the rebalancer.</summary>
    public static ISiloBuilder AddFleetDiagnostics(this ISiloBuilder silo, IConfiguration configuration)
    {
        // Grain calls carry the caller's W3C trace context and get spans of their own (Microsoft.Orleans activity
        // sources), so one trace follows an HTTP request through the stream into the devices.
        silo.AddActivityPropagation();

        // Placement spreads new activations; the rebalancer moves existing ones when silos are uneven (a silo joined
        // after the devices had activated). Measured on two silos: 38% of the devices on the newcomer without it,
        // 50% within 45 s with it (bench/results/placement.md). A migrated device checkpoints and its partition
        // replays what it had not, so no event is lost or applied twice. One silo has nothing to balance.
        var cluster = FleetModeOptions.TryParse(configuration[FleetModeOptions.ModeKey], out var mode) && mode != FleetMode.Embedded;
        if (configuration.GetValue(RebalancerKey, cluster))
        {
#pragma warning disable ORLEANSEXP002 // experimental in Orleans 10; measured before it was switched on
            silo.AddActivationRebalancer();
#pragma warning restore ORLEANSEXP002
        }

        return silo;
    }
}
