using Microsoft.Extensions.Options;

namespace OrleansFleet.Hosting;

/// <summary>
/// Fails start-up naming the missing or conflicting storage setting, and what needs it: every Orleans provider section
/// whose <c>ServiceKey</c> is the host's table client, and the telemetry history when it is on Azure Tables.
/// </summary>
internal sealed class FleetStorageOptionsValidator(IConfiguration configuration) : IValidateOptions<FleetStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetStorageOptions options)
    {
        List<string> users = [.. AccountUsers(options)];
        bool hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        bool hasEndpoint = options.TableEndpoint is not null;
        if (users.Count == 0 && !hasConnectionString && !hasEndpoint)
        {
            return ValidateOptionsResult.Success;
        }

        if (!hasConnectionString && !hasEndpoint)
        {
            return ValidateOptionsResult.Fail(
                $"{FleetModeOptions.ModeKey} is {configuration[FleetModeOptions.ModeKey] ?? nameof(FleetMode.Embedded)} and {string.Join(", ", users)} "
                + "use the Azure Storage account, but none is configured: set ConnectionStrings:Tables (a connection string, "
                + "e.g. Azurite's development account) or Fleet:Storage:TableEndpoint (https://<account>.table.core.windows.net/, "
                + "reached with the managed identity through DefaultAzureCredential; AZURE_CLIENT_ID picks a user-assigned one).");
        }

        if (hasConnectionString && hasEndpoint)
        {
            return ValidateOptionsResult.Fail("Set either ConnectionStrings:Tables or Fleet:Storage:TableEndpoint, not both: it would be unclear which account holds the data.");
        }

        if (options.TableEndpoint is { IsAbsoluteUri: false } relative)
        {
            return ValidateOptionsResult.Fail($"Fleet:Storage:TableEndpoint '{relative}' must be an absolute URI such as https://myaccount.table.core.windows.net/.");
        }

        return ValidateOptionsResult.Success;
    }

    private IEnumerable<string> AccountUsers(FleetStorageOptions options)
    {
        IConfigurationSection orleans = configuration.GetSection("Orleans");
        IEnumerable<IConfigurationSection> providers =
            [orleans.GetSection("Clustering"), orleans.GetSection("Reminders"), .. orleans.GetSection("GrainStorage").GetChildren()];
        foreach (IConfigurationSection provider in providers)
        {
            if (string.Equals(provider["ServiceKey"], FleetStorageOptions.TableServiceKey, StringComparison.Ordinal))
            {
                yield return provider.Path;
            }
        }

        if (options.Provider == FleetStorageProvider.AzureTables)
        {
            yield return "the telemetry history (Fleet:Storage:Provider=AzureTables)";
        }
    }
}
