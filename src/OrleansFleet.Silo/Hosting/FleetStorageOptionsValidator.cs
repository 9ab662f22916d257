using Microsoft.Extensions.Options;

namespace OrleansFleet.Silo.Hosting;

/// <summary>Fails start-up naming the missing or conflicting storage setting.</summary>
internal sealed class FleetStorageOptionsValidator : IValidateOptions<FleetStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetStorageOptions options)
    {
        if (options.Provider != FleetStorageProvider.AzureTables)
        {
            return ValidateOptionsResult.Success;
        }

        bool hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        bool hasEndpoint = options.TableEndpoint is not null;
        if (!hasConnectionString && !hasEndpoint)
        {
            return ValidateOptionsResult.Fail(
                "Fleet:Storage:Provider is AzureTables but no storage account is configured: set ConnectionStrings:Tables "
                + "(a connection string, e.g. Azurite's development account) or Fleet:Storage:TableEndpoint "
                + "(https://<account>.table.core.windows.net/, used with the managed identity through DefaultAzureCredential).");
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
}
