using OrleansFleet.Hosting;
using OrleansFleet.Hosting.Security;
using OrleansFleet.Silo.Hosting;
using OrleansFleet.Silo.Simulation;

if (ApiKeyHash.TryRunCommand(args, Console.Out))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
// `--simulate N` is short for Fleet:Simulator:Devices=N.
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--simulate"] = "Fleet:Simulator:Devices" });

builder.AddServiceDefaults();
builder.AddFleetSilo();
builder.AddFleetApi();
builder.AddFleetSimulator();

var app = builder.Build();
app.MapFleetEndpoints();
app.MapFleetDashboard();
app.Run();

/// <summary>The host's entry point, public so tests can start it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
