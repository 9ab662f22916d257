using Microsoft.Extensions.Options;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>Validates the device summary store settings at startup (<c>ValidateOnStart</c>), naming the setting at fault.</summary>
internal sealed class AzureTableDeviceSummaryStoreOptionsValidator : IValidateOptions<AzureTableDeviceSummaryStoreOptions>
{
    private const string Owner = "Azure Table device summaries (" + AzureTableDeviceSummaryStoreOptions.SectionName + ")";

    public ValidateOptionsResult Validate(string? name, AzureTableDeviceSummaryStoreOptions options)
    {
        List<string> problems = [];
        options.FindWriteProblems(Owner, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
