namespace OrleansFleet.Silo.Simulation;

/// <summary>Registers the simulator; it does nothing unless <c>Fleet:Simulator:Devices</c> is above zero.</summary>
internal static class SimulatorExtensions
{
    public static WebApplicationBuilder AddFleetSimulator(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<FleetSimulator>();
        return builder;
    }
}
