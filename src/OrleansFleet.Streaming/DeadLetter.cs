namespace OrleansFleet.Streaming;

/// <summary>
/// Why an entry was moved to the dead-letter destination instead of being delivered. Transports store the entry's
/// original fields plus <see cref="ReasonField"/> and <see cref="KindField"/>, so an operator can read, fix and
/// replay it.
/// </summary>
/// <param name="Kind">A short, fixed category (one of the <c>Kind*</c> constants), used as a metric tag.</param>
/// <param name="Reason">What is wrong, naming the field and, for JSON, the path.</param>
public sealed record DeadLetter(string Kind, string Reason)
{
    /// <summary>Field holding <see cref="Reason"/> in a dead-letter entry.</summary>
    public const string ReasonField = "reason";

    /// <summary>Field holding <see cref="Kind"/> in a dead-letter entry.</summary>
    public const string KindField = "kind";

    /// <summary>Field holding where the entry came from (the partition stream key).</summary>
    public const string SourceField = "source";

    /// <summary>Field holding the entry's original id (Redis entry id, Event Hubs offset).</summary>
    public const string SourceIdField = "source-id";

    /// <summary>A required field is absent or empty.</summary>
    public const string KindMissingField = "missing-field";

    /// <summary>The payload is not valid telemetry JSON or breaks a rule.</summary>
    public const string KindInvalid = "invalid";

    /// <summary>The payload's events belong to another device than the entry says.</summary>
    public const string KindDeviceMismatch = "device-mismatch";

    /// <summary>The entry was written to a partition its device does not hash to (it would break per-device order).</summary>
    public const string KindWrongPartition = "wrong-partition";

    /// <summary>The consumer failed on the entry more times than allowed.</summary>
    public const string KindDeliveryFailed = "delivery-failed";
}
