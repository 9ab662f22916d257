using System.Globalization;

namespace OrleansFleet;

/// <summary>
/// A telemetry history row key (<see cref="TelemetryHistoryKeys"/>) as numbers instead of a string: it compares exactly
/// as the row key string does (ordinal), so a store in memory can keep its rows sorted without building a string per
/// reading; the string is made only where it leaves the store (a continuation token).
/// </summary>
/// <remarks>
/// The row key is <c>D19(inverted time)</c>, then <c>_</c> and either <c>D20(inverted seq)</c> or <c>x</c> and 16 hex
/// digits of the content hash. Fixed-width digits compare as their values; a digit sorts before <c>x</c>, so at one
/// instant every seq row comes before every seq-less one; and a bare time prefix (a query bound) sorts before every
/// row of its instant, as a string prefix does.
/// </remarks>
/// <param name="Time">The inverted reading time, the key's first 19 digits.</param>
/// <param name="Kind">What follows the time.</param>
/// <param name="Order">The inverted seq, or the content hash; 0 for a bare prefix.</param>
internal readonly record struct TelemetryHistoryKey(long Time, TelemetryHistoryKey.Suffix Kind, ulong Order) : IComparable<TelemetryHistoryKey>
{
    /// <summary>What follows the time, in the order the row key strings sort.</summary>
    public enum Suffix : byte
    {
        /// <summary>Nothing: a query bound made of the time prefix alone.</summary>
        None,

        /// <summary><c>_</c> and the inverted seq.</summary>
        Seq,

        /// <summary><c>_x</c> and the content hash of a reading without seq.</summary>
        Hash,
    }

    private const int TimeDigits = 19;

    /// <summary>The key of <paramref name="reading"/>.</summary>
    public static TelemetryHistoryKey Of(TelemetryEvent reading)
    {
        var time = TelemetryHistoryKeys.InvertedTicks(reading.Timestamp);
        if (reading.Seq is long seq)
        {
            // Flipping the sign bit maps long order onto ulong order, so negative seqs (if a device sends one) still sort.
            var sortable = unchecked((ulong)seq ^ 0x8000_0000_0000_0000UL);
            return new(time, Suffix.Seq, ulong.MaxValue - sortable);
        }

        return new(time, Suffix.Hash, TelemetryHistoryKeys.ContentHash(reading));
    }

    /// <summary>Reads a row key or a bare time prefix, as <see cref="TelemetryHistoryKeys.QueryRange"/> gives them.</summary>
    public static TelemetryHistoryKey Parse(string key) =>
        TryParse(key, out var parsed) ? parsed : throw new FormatException($"'{key}' is no telemetry history key.");

    /// <summary>Reads a key as <see cref="Parse"/> does; false for anything else.</summary>
    public static bool TryParse(string key, out TelemetryHistoryKey parsed)
    {
        parsed = default;
        if (key.Length < TimeDigits || !long.TryParse(key.AsSpan(0, TimeDigits), NumberStyles.None, CultureInfo.InvariantCulture, out var time))
        {
            return false;
        }

        if (key.Length == TimeDigits)
        {
            parsed = new(time, Suffix.None, 0);
            return true;
        }

        if (key.Length > TimeDigits + 2 && key[TimeDigits + 1] == 'x'
            && ulong.TryParse(key.AsSpan(TimeDigits + 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hash))
        {
            parsed = new(time, Suffix.Hash, hash);
            return true;
        }

        if (key.Length > TimeDigits + 1 && ulong.TryParse(key.AsSpan(TimeDigits + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            parsed = new(time, Suffix.Seq, seq);
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    public int CompareTo(TelemetryHistoryKey other)
    {
        var byTime = Time.CompareTo(other.Time);
        if (byTime != 0)
        {
            return byTime;
        }

        var byKind = Kind.CompareTo(other.Kind);
        return byKind != 0 ? byKind : Order.CompareTo(other.Order);
    }

    /// <summary>The row key string.</summary>
    public override string ToString() => Kind switch
    {
        Suffix.Seq => string.Create(CultureInfo.InvariantCulture, $"{Time:D19}_{Order:D20}"),
        Suffix.Hash => string.Create(CultureInfo.InvariantCulture, $"{Time:D19}_x{Order:x16}"),
        _ => Time.ToString("D19", CultureInfo.InvariantCulture),
    };
}
