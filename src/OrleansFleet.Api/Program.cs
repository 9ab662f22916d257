using OrleansFleet.Api;
using OrleansFleet.Hosting;
using OrleansFleet.Hosting.Security;

if (ApiKeyHash.TryRunCommand(args, Console.Out))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddFleetClient();
builder.AddFleetApi();

var app = builder.Build();
app.MapFleetEndpoints();
app.Run();
