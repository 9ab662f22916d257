namespace OrleansFleet.Streaming.EventHubs;

/// <summary>
/// The Event Hubs telemetry stream (configuration section <c>Fleet:Streaming:EventHubs</c>; the Bicep sets
/// <c>Fleet__Streaming__EventHubs__Namespace</c>, <c>__Hub</c>, <c>__ConsumerGroup</c> and <c>__DeadLetterHub</c>).
/// </summary>
public sealed class EventHubTelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:Streaming:EventHubs";

    /// <summary>
    /// The namespace, reached with <c>DefaultAzureCredential</c> (in Azure the managed identity; <c>AZURE_CLIENT_ID</c>
    /// picks a user-assigned one): a name (<c>evhns-fleet</c>, completed with <c>.servicebus.windows.net</c>) or a fully
    /// qualified host name. Ignored when <see cref="ConnectionString"/> is set.
    /// </summary>
    public string? Namespace { get; set; }

    /// <summary>A namespace connection string (shared access key), instead of <see cref="Namespace"/> and a credential.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The telemetry hub. Its partition count is the number of telemetry partitions.</summary>
    public string? Hub { get; set; }

    /// <summary>The consumer group the silos read with; one per deployment reading the hub.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>The hub undecodable events go to, with their reason.</summary>
    public string? DeadLetterHub { get; set; }

    /// <summary>The fully qualified namespace for a token credential.</summary>
    public string FullyQualifiedNamespace =>
        Namespace is { Length: > 0 } ns && !ns.Contains('.', StringComparison.Ordinal) ? $"{ns}.servicebus.windows.net" : Namespace ?? "";
}
