using Azure.Core;

namespace OrleansFleet.Streaming.Kafka;

/// <summary>
/// Settings of the Kafka telemetry provider (a plain Kafka cluster, or Event Hubs through <see cref="EventHubs"/>).
/// Producers (the API) and silos must use the same <see cref="Topic"/>.
/// </summary>
public sealed class KafkaTelemetryStreamOptions
{
    /// <summary>Bootstrap brokers, e.g. <c>127.0.0.1:9092</c>. Derived from the namespace when <see cref="EventHubs"/> is set.</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>The topic carrying telemetry. Derived from the hub when <see cref="EventHubs"/> is set.</summary>
    public string Topic { get; set; } = "fleet-telemetry";

    /// <summary>Where records that cannot be delivered go, with their reason in headers. It must exist (an event hub of its own on Event Hubs).</summary>
    public string DeadLetterTopic { get; set; } = "fleet-telemetry-dead";

    /// <summary>The consumer group whose committed offsets are the checkpoint; null means the Orleans ServiceId.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>
    /// The header that names the device when a record has no key: IoT Hub's routing to Event Hubs sets
    /// <c>iothub-connection-device-id</c>. Without key and header, the body's <c>deviceId</c> is used.
    /// </summary>
    public string DeviceIdHeader { get; set; } = "iothub-connection-device-id";

    /// <summary>Most records one pull of a partition hands to Orleans.</summary>
    public int ReadBatchSize { get; set; } = 256;

    /// <summary>
    /// How long a produce may wait for the broker's acknowledgement (librdkafka's <c>message.timeout.ms</c>); past it the
    /// API answers 503. The producer retries internally within this time, idempotently.
    /// </summary>
    public TimeSpan ProduceTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long startup waits for the topic's metadata (its partition count) and a partition owner for its committed offset.</summary>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often librdkafka commits the offsets the receivers stored (what may be redelivered after a crash).</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest record value the producer writes; a device's batch above it is split into several records. Event Hubs Standard allows 1 MB per event.</summary>
    public int MaxRecordBytes { get; set; } = 900_000;

    /// <summary>How many times a consumer may fail on a record before it is dead-lettered.</summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>Event Hubs' Kafka endpoint; when set it supplies the bootstrap servers, the topic and the security settings.</summary>
    public EventHubsEndpointOptions? EventHubs { get; set; }

    /// <summary>SASL/TLS for a plain Kafka cluster (ignored with <see cref="EventHubs"/>): e.g. <c>security.protocol</c>, <c>sasl.mechanism</c>.</summary>
    public Dictionary<string, string> ClientProperties { get; set; } = [];

    /// <summary>The credential for Event Hubs without a connection string; null means <c>DefaultAzureCredential</c> (managed identity on Azure).</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>Validation bounds for records (the same as the API's).</summary>
    public TelemetryLimits Limits { get; set; } = new();

    /// <summary>The effective bootstrap servers.</summary>
    public string EffectiveBootstrapServers => EventHubs is { } eh ? eh.BootstrapServers : BootstrapServers;

    /// <summary>The effective topic.</summary>
    public string EffectiveTopic => EventHubs is { Hub.Length: > 0 } eh ? eh.Hub : Topic;
}
