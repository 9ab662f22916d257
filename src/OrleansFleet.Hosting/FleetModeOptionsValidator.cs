using Microsoft.Extensions.Options;

namespace OrleansFleet.Hosting;

/// <summary>
/// Stops start-up on a <c>Fleet:Mode</c> that names no mode, and on the <c>Fleet:Cluster</c> settings of the previous
/// release, naming the Orleans key that replaced each (silently ignoring them would, say, start every silo on port 11111).
/// </summary>
internal sealed class FleetModeOptionsValidator(IConfiguration configuration) : IValidateOptions<FleetModeOptions>
{
    private static readonly Dictionary<string, string> s_replacedSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Provider"] = "Orleans:Clustering:ProviderType (AzureTableStorage, Redis or Development)",
        ["SiloPort"] = "Orleans:Endpoints:SiloPort",
        ["GatewayPort"] = "Orleans:Endpoints:GatewayPort",
        ["AdvertisedAddress"] = "Orleans:Endpoints:AdvertisedIPAddress",
        ["ClusterId"] = "Orleans:ClusterId",
        ["ServiceId"] = "Orleans:ServiceId",
    };

    public ValidateOptionsResult Validate(string? name, FleetModeOptions options)
    {
        List<string> failures = [];
        if (!FleetModeOptions.TryParse(options.Mode, out _))
        {
            failures.Add($"{FleetModeOptions.ModeKey} '{options.Mode}' is not a run mode; use one of: {string.Join(", ", Enum.GetNames<FleetMode>())}.");
        }

        foreach (IConfigurationSection legacy in configuration.GetSection("Fleet:Cluster").GetChildren())
        {
            string replacement = s_replacedSettings.GetValueOrDefault(legacy.Key, "the Orleans section (see docs/azure-storage.md)");
            failures.Add($"{legacy.Path} is no longer read: set {replacement} instead.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
