using Azure.Core;
using Azure.Identity;

using Confluent.Kafka;

namespace OrleansFleet.Streaming.Kafka;

/// <summary>
/// Builds librdkafka client settings from <see cref="KafkaTelemetryStreamOptions"/>: the common part (brokers, TLS,
/// SASL) once, then what producers and consumers need for the delivery guarantees.
/// </summary>
internal static class KafkaClientConfigs
{
    /// <summary>The broker connection and security every client shares.</summary>
    public static ClientConfig Common(KafkaTelemetryStreamOptions options)
    {
        var config = new ClientConfig(new Dictionary<string, string>(options.ClientProperties))
        {
            BootstrapServers = options.EffectiveBootstrapServers,
            // Fail a request rather than wait forever for a broker, so errors surface (and map to 503) in bounded time.
            SocketTimeoutMs = 30_000,
        };
        if (options.EventHubs is { } eh)
        {
            // The Kafka endpoint only speaks TLS with SASL, on 9093.
            config.SecurityProtocol = SecurityProtocol.SaslSsl;
            if (eh.ConnectionString is { Length: > 0 } connectionString)
            {
                config.SaslMechanism = SaslMechanism.Plain;
                config.SaslUsername = "$ConnectionString";
                config.SaslPassword = connectionString;
            }
            else
            {
                config.SaslMechanism = SaslMechanism.OAuthBearer;
            }
        }

        return config;
    }

    /// <summary>
    /// The producer: acks=all (every in-sync replica has the record before it counts as written, which is what a 202
    /// promises) and idempotent (the broker drops the producer's own retries, and keeps one partition's records in send
    /// order even across retries). Keys go through murmur2, the partitioner of Kafka's Java client, so our records for a
    /// device share a partition with those of any Java-compatible producer keyed by the same device id.
    /// </summary>
    public static ProducerConfig Producer(KafkaTelemetryStreamOptions options) => new(Common(options))
    {
        Acks = Acks.All,
        EnableIdempotence = true,
        Partitioner = Partitioner.Murmur2Random,
        MessageTimeoutMs = (int)options.ProduceTimeout.TotalMilliseconds,
        // Concurrent requests share produce batches; 5 ms is small next to acks=all's round trip.
        LingerMs = 5,
    };

    /// <summary>
    /// A partition's consumer. It joins no group (it is assigned, never subscribed) but commits to one: the group is
    /// only where the checkpoint lives. Offsets are stored by the receiver only up to the first record not yet applied,
    /// and librdkafka commits the stored ones every <see cref="KafkaTelemetryStreamOptions.CommitInterval"/> and on close.
    /// </summary>
    public static ConsumerConfig Consumer(KafkaTelemetryStreamOptions options, string group) => new(Common(options))
    {
        GroupId = group,
        // A new group reads the retained backlog; "latest" would silently skip what was written before it existed.
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = true,
        EnableAutoOffsetStore = false,
        AutoCommitIntervalMs = (int)options.CommitInterval.TotalMilliseconds,
        EnablePartitionEof = false,
        // Our own producer is not transactional, but foreign ones may be: never deliver aborted records.
        IsolationLevel = IsolationLevel.ReadCommitted,
    };

    /// <summary>An admin client's settings (metadata).</summary>
    public static AdminClientConfig Admin(KafkaTelemetryStreamOptions options) => new(Common(options));

    /// <summary>Whether clients need an OAuth token handler (Event Hubs without a connection string).</summary>
    public static bool UsesOAuth(KafkaTelemetryStreamOptions options) =>
        options.EventHubs is { } eh && string.IsNullOrEmpty(eh.ConnectionString);

    /// <summary>
    /// The handler librdkafka calls when it needs a (new) OAUTHBEARER token: a token for the namespace's scope from
    /// Azure.Identity, handed over with its expiry so librdkafka asks again before it runs out. It runs on librdkafka's
    /// background thread, where blocking is expected.
    /// </summary>
    public static Action<IClient, string> OAuthHandler(KafkaTelemetryStreamOptions options)
    {
        var eh = options.EventHubs ?? throw new InvalidOperationException("OAuth is for Event Hubs.");
        var credential = options.Credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = eh.ManagedIdentityClientId });
        var context = new TokenRequestContext([eh.TokenScope]);
        return (client, _) =>
        {
            try
            {
                var token = credential.GetToken(context, CancellationToken.None);
                client.OAuthBearerSetToken(token.Token, token.ExpiresOn.ToUnixTimeMilliseconds(), "fleet");
            }
            catch (AuthenticationFailedException ex)
            {
                client.OAuthBearerSetTokenFailure(ex.Message);
            }
        };
    }
}
