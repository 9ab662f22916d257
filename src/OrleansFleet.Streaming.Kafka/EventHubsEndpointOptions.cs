namespace OrleansFleet.Streaming.Kafka;

/// <summary>
/// Where the telemetry lives on Azure Event Hubs, reached through its Kafka endpoint: the namespace is the Kafka
/// "cluster" (<c>{namespace}.servicebus.windows.net:9093</c>, always TLS + SASL) and the event hub is the topic.
/// Authentication is either a connection string (SASL PLAIN with the user name <c>$ConnectionString</c>) or, without
/// one, an Entra ID token from Azure.Identity (SASL OAUTHBEARER), normally the app's managed identity.
/// </summary>
public sealed class EventHubsEndpointOptions
{
    /// <summary>The namespace: its name (<c>fleet-ns</c>) or host name (<c>fleet-ns.servicebus.windows.net</c>).</summary>
    public string Namespace { get; set; } = string.Empty;

    /// <summary>The event hub (the Kafka topic) carrying the telemetry.</summary>
    public string Hub { get; set; } = string.Empty;

    /// <summary>A namespace or hub connection string (<c>Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…</c>); null means managed identity.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Client id of a user-assigned managed identity; null means the system-assigned one (or, off Azure, the developer's login).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The namespace's fully qualified host name.</summary>
    public string HostName => Namespace.Contains('.', StringComparison.Ordinal) ? Namespace : $"{Namespace}.servicebus.windows.net";

    /// <summary>The Kafka bootstrap address: the namespace on port 9093.</summary>
    public string BootstrapServers => $"{HostName}:9093";

    /// <summary>The Entra ID scope of tokens for this namespace.</summary>
    public string TokenScope => $"https://{HostName}/.default";
}
