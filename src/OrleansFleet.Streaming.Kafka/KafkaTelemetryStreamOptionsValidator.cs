using Microsoft.Extensions.Options;

namespace OrleansFleet.Streaming.Kafka;

/// <summary>Rejects settings the provider cannot run with, naming the setting (as the host binds it) and what to put there.</summary>
public sealed class KafkaTelemetryStreamOptionsValidator : IValidateOptions<KafkaTelemetryStreamOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, KafkaTelemetryStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.EventHubs is { } eh)
        {
            var prefix = $"Event Hubs telemetry stream '{name}': ";
            if (string.IsNullOrWhiteSpace(eh.Namespace))
            {
                failures.Add(prefix + "Fleet:Streaming:EventHubs:Namespace is required (the namespace name, e.g. \"fleet-ns\", or \"fleet-ns.servicebus.windows.net\").");
            }

            if (string.IsNullOrWhiteSpace(eh.Hub))
            {
                failures.Add(prefix + "Fleet:Streaming:EventHubs:Hub is required (the event hub carrying telemetry, e.g. \"fleet-telemetry\").");
            }

            if (eh.ConnectionString is { } cs && !cs.Contains("SharedAccessKey", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add(prefix + "ConnectionStrings:EventHubs must be an Event Hubs connection string (Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…), or absent to use managed identity.");
            }
        }
        else
        {
            var prefix = $"Kafka telemetry stream '{name}': ";
            if (string.IsNullOrWhiteSpace(options.BootstrapServers))
            {
                failures.Add(prefix + "Fleet:Streaming:Kafka:BootstrapServers is required (e.g. \"127.0.0.1:9092\"; ./scripts/run-kafka-mock.sh prints one).");
            }

            if (string.IsNullOrWhiteSpace(options.Topic))
            {
                failures.Add(prefix + "Fleet:Streaming:Kafka:Topic must not be empty (default \"fleet-telemetry\").");
            }
        }

        var where = options.EventHubs is null ? "Fleet:Streaming:Kafka" : "Fleet:Streaming:Kafka (shared by EventHubs)";
        if (string.IsNullOrWhiteSpace(options.DeadLetterTopic) || string.Equals(options.DeadLetterTopic, options.EffectiveTopic, StringComparison.Ordinal))
        {
            failures.Add($"{where}:DeadLetterTopic is required and must differ from the telemetry topic (default \"fleet-telemetry-dead\").");
        }

        if (options.ConsumerGroup is { } group && string.IsNullOrWhiteSpace(group))
        {
            failures.Add($"{where}:ConsumerGroup must be absent (use the ServiceId) or a non-empty name.");
        }

        if (options.ReadBatchSize is < 1 or > 10_000)
        {
            failures.Add($"{where}:ReadBatchSize must be 1 to 10000 (is {options.ReadBatchSize}).");
        }

        if (options.ProduceTimeout < TimeSpan.FromMilliseconds(100) || options.MetadataTimeout <= TimeSpan.Zero || options.CommitInterval <= TimeSpan.Zero)
        {
            failures.Add($"{where}: ProduceTimeout (at least 100 ms), MetadataTimeout and CommitInterval must be positive.");
        }

        if (options.MaxRecordBytes < 1024)
        {
            failures.Add($"{where}:MaxRecordBytes must be at least 1024.");
        }

        if (options.MaxDeliveryAttempts < 1)
        {
            failures.Add($"{where}:MaxDeliveryAttempts must be at least 1.");
        }

        if (options.Limits is null)
        {
            failures.Add($"{where}:Limits is required.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
