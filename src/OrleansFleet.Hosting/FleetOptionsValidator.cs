using Microsoft.Extensions.Options;
using OrleansFleet.Grains;
using OrleansFleet.Grains.Domain;

namespace OrleansFleet.Hosting;

/// <summary>Fails start-up with the exact setting at fault when <c>Fleet</c> is misconfigured.</summary>
internal sealed class FleetOptionsValidator : IValidateOptions<FleetOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetOptions options)
    {
        var failures = new List<string>();
        if (options.ReorderHoldTime <= TimeSpan.Zero)
        {
            failures.Add("Fleet:ReorderHoldTime must be positive.");
        }

        if (options.OfflineAfter <= TimeSpan.Zero)
        {
            failures.Add("Fleet:OfflineAfter must be positive.");
        }

        if (options.Checkpoint.Interval <= TimeSpan.Zero)
        {
            failures.Add("Fleet:Checkpoint:Interval must be positive.");
        }

        if (options.Checkpoint.MaxEvents < 1)
        {
            failures.Add("Fleet:Checkpoint:MaxEvents must be at least 1.");
        }

        if (options.OfflineBackstopPeriod <= TimeSpan.Zero)
        {
            failures.Add("Fleet:OfflineBackstopPeriod must be positive.");
        }

        foreach (var (field, messages) in AlarmRuleValidator.Validate(options.Rules, "Fleet:Rules"))
        {
            failures.AddRange(messages.Select(m => $"{field} {m}."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
