using Microsoft.Extensions.Options;
using OrleansFleet.Hosting;

namespace OrleansFleet.Api;

/// <summary>
/// Stops the API process at start in a mode it cannot serve: it is an Orleans client, so it needs a cluster to join
/// (not the embedded mode's in-silo membership) and a durable telemetry stream it can append to from outside the silos
/// (not the memory stream, whose queues are grains inside the silos).
/// </summary>
internal sealed class ApiModeValidator(IConfiguration configuration) : IValidateOptions<FleetModeOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetModeOptions options)
    {
        List<string> failures = [];
        if (FleetModeOptions.TryParse(options.Mode, out var mode) && mode == FleetMode.Embedded)
        {
            failures.Add($"{FleetModeOptions.ModeKey} is {mode}: the API process is an Orleans client of a cluster; set {FleetModeOptions.ModeKey}=LocalCluster or Azure. "
                + "In the embedded mode the silo serves the API itself: dotnet run --project src/OrleansFleet.Silo.");
        }

        var stream = configuration.GetSection(FleetStreamingOptions.SectionName).GetValue<StreamingProvider>(nameof(FleetStreamingOptions.Provider));
        if (stream == StreamingProvider.Memory)
        {
            failures.Add($"{FleetStreamingOptions.SectionName}:Provider is {stream}: the memory stream lives inside the silos, so a separate API process cannot append to it; "
                + $"use {StreamingProvider.Redis} or {StreamingProvider.EventHubs} (the cluster modes' defaults).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
