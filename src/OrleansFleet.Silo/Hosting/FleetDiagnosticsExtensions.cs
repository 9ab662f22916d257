using OrleansFleet.Silo.Hosting.Health;

namespace OrleansFleet.Silo.Hosting;

/// <summary>What the silo adds for operators: distributed tracing of grain calls and the dependency readiness checks.</summary>
internal static class FleetDiagnosticsExtensions
{
    /// <summary>Adds activity propagation and the readiness checks of the run mode's dependencies.</summary>
    public static ISiloBuilder AddFleetDiagnostics(this ISiloBuilder silo, IConfiguration configuration)
    {
        // Grain calls carry the caller's W3C trace context and get spans of their own (Microsoft.Orleans.Application
        // and .Runtime activity sources), so one trace follows an HTTP request through the stream into the devices.
        silo.AddActivityPropagation();
        silo.Services.AddFleetDependencyHealthChecks(configuration);
        return silo;
    }
}
