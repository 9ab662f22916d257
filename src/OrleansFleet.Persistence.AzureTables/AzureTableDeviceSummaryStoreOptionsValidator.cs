using Microsoft.Extensions.Options;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>Validates the device summary store settings at startup (<c>ValidateOnStart</c>), naming the setting at fault.</summary>
internal sealed class AzureTableDeviceSummaryStoreOptionsValidator : IValidateOptions<AzureTableDeviceSummaryStoreOptions>
{
    private const string Owner = "Azure Table device summaries (" + AzureTableDeviceSummaryStoreOptions.SectionName + ")";

    public ValidateOptionsResult Validate(string? name, AzureTableDeviceSummaryStoreOptions options)
    {
        List<string> problems = [];
        if (options.FindProblem(Owner) is { } connection)
        {
            problems.Add(connection);
        }

        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{Owner}: AttemptTimeout must be positive.");
        }

        if (options.MaxRetryAttempts < 0)
        {
            problems.Add($"{Owner}: MaxRetryAttempts must be 0 or more.");
        }

        if (options.MaxConcurrentTransactions < 1)
        {
            problems.Add($"{Owner}: MaxConcurrentTransactions must be at least 1.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
