using Microsoft.Extensions.Options;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>Validates the telemetry store settings at startup (<c>ValidateOnStart</c>), naming the setting at fault.</summary>
internal sealed class AzureTableTelemetryStoreOptionsValidator : IValidateOptions<AzureTableTelemetryStoreOptions>
{
    private const string Owner = "Azure Table telemetry history (" + AzureTableTelemetryStoreOptions.SectionName + ")";

    public ValidateOptionsResult Validate(string? name, AzureTableTelemetryStoreOptions options)
    {
        List<string> problems = [];
        options.FindWriteProblems(Owner, problems);
        if (options.BreakerFailureRatio is <= 0 or > 1)
        {
            problems.Add($"{Owner}: BreakerFailureRatio must be in (0, 1].");
        }

        if (options.BreakerMinimumThroughput < 2)
        {
            problems.Add($"{Owner}: BreakerMinimumThroughput must be at least 2.");
        }

        if (options.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500) || options.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            problems.Add($"{Owner}: BreakerSamplingDuration and BreakDuration must be at least 500 ms.");
        }

        if (options.MaxQueuedTransactions < 0)
        {
            problems.Add($"{Owner}: MaxQueuedTransactions must be 0 or more.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
