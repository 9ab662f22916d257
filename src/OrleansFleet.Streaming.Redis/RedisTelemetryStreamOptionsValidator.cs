using Microsoft.Extensions.Options;

namespace OrleansFleet.Streaming.Redis;

/// <summary>Rejects settings the provider cannot run with, naming the setting and what to put there.</summary>
public sealed class RedisTelemetryStreamOptionsValidator : IValidateOptions<RedisTelemetryStreamOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RedisTelemetryStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = $"Redis telemetry stream '{name}': ";
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add(prefix + "ConnectionString is required (set ConnectionStrings:Redis, e.g. \"127.0.0.1:6380\").");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.Any(char.IsWhiteSpace))
        {
            failures.Add(prefix + "KeyPrefix must be a non-empty key prefix without spaces, e.g. \"fleet:telemetry\".");
        }

        if (options.Partitions is < 1 or > 1024)
        {
            failures.Add(prefix + $"Partitions must be 1 to 1024 (is {options.Partitions}).");
        }

        if (options.ReadBatchSize is < 1 or > 10_000)
        {
            failures.Add(prefix + $"ReadBatchSize must be 1 to 10000 (is {options.ReadBatchSize}).");
        }

        if (options.RetainMaxLength is < 1)
        {
            failures.Add(prefix + $"RetainMaxLength must be at least 1, or null to disable trimming (is {options.RetainMaxLength}).");
        }

        if (options.TrimInterval <= TimeSpan.Zero)
        {
            failures.Add(prefix + "TrimInterval must be positive.");
        }

        if (options.MaxTrimPerPass < 1)
        {
            failures.Add(prefix + "MaxTrimPerPass must be at least 1.");
        }

        if (options.ReclaimIdleTime < TimeSpan.FromMilliseconds(100))
        {
            failures.Add(prefix + "ReclaimIdleTime must be at least 100 ms.");
        }

        if (options.MaxDeliveryAttempts < 1)
        {
            failures.Add(prefix + "MaxDeliveryAttempts must be at least 1.");
        }

        if (options.MaxUnavailableBackoff <= TimeSpan.Zero || options.CommandTimeout <= TimeSpan.Zero)
        {
            failures.Add(prefix + "MaxUnavailableBackoff and CommandTimeout must be positive.");
        }

        if (options.ConsumerGroup is { } group && string.IsNullOrWhiteSpace(group))
        {
            failures.Add(prefix + "ConsumerGroup must be null (use the ServiceId) or a non-empty name.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
