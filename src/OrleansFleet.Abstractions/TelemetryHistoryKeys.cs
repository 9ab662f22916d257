using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace OrleansFleet;

/// <summary>
/// The key layout of the telemetry history, shared by every <see cref="ITelemetryHistoryStore"/> so that they all
/// order, page and deduplicate the same way.
/// </summary>
/// <remarks>
/// <para>
/// A reading's key is <c>{inverted ticks:D19}_{inverted seq:D20}</c>, where inverted ticks is
/// <c>DateTime.MaxValue.Ticks - timestamp.UtcTicks</c>. Keys compare ordinally, so the newest reading sorts first
/// and "device X between t1 and t2, newest first" is one contiguous key range: from the prefix of t2 (inclusive) up
/// to the prefix of t1 plus one tick (exclusive). Within one instant, a higher seq sorts first.
/// </para>
/// <para>
/// The key is made only of what the device itself set (timestamp and seq), never of arrival time, so a redelivered
/// reading gets the same key and overwrites its own row: that is what makes writes idempotent. A device that reuses
/// a seq with a different timestamp gets a second row; the device grain drops such a duplicate by seq before it
/// reaches the history, and a store cannot do better without a read per write.
/// </para>
/// <para>
/// A reading without seq is keyed <c>{inverted ticks:D19}_x{hash}</c>, the hash being the first 64 bits of the
/// SHA-256 of its status and metrics. Its redelivery is still idempotent, but two seq-less readings of one device
/// with the same timestamp and the same content collapse into one row; with different content both are kept.
/// </para>
/// </remarks>
public static partial class TelemetryHistoryKeys
{
    /// <summary>Most readings one query page may ask for (Azure Tables returns at most 1,000 entities per request).</summary>
    public const int MaxPageSize = 1000;

    private const int HashBytes = 8;
    private static readonly long s_maxTicks = DateTime.MaxValue.Ticks;

    /// <summary>The history key of <paramref name="reading"/>.</summary>
    /// <param name="reading">The reading.</param>
    /// <returns>The key, unique per device, timestamp and seq.</returns>
    public static string RowKey(TelemetryEvent reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return TelemetryHistoryKey.Of(reading).ToString();
    }

    public static DateTimeOffset TimestampOf(string rowKey)
    {
        ArgumentNullException.ThrowIfNull(rowKey);
        long inverted = long.Parse(rowKey.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture);
        return new DateTimeOffset(s_maxTicks - inverted, TimeSpan.Zero);
    }

    /// <summary>The smallest key (inclusive) of readings taken at or before <paramref name="to"/>; <c>null</c> for no bound.</summary>
    /// <param name="to">The newest reading time to include.</param>
    /// <returns>The inclusive lower key bound.</returns>
    public static string? LowerBound(DateTimeOffset? to) => to is { } t ? new TelemetryHistoryKey(InvertedTicks(t), TelemetryHistoryKey.Suffix.None, 0).ToString() : null;

    /// <summary>The smallest key (exclusive) past readings taken at or after <paramref name="from"/>; <c>null</c> for no bound.</summary>
    /// <param name="from">The oldest reading time to include.</param>
    /// <returns>The exclusive upper key bound: the prefix of the tick just before <paramref name="from"/>.</returns>
    public static string? UpperBoundExclusive(DateTimeOffset? from) =>
        from is { } f
            ? (s_maxTicks - f.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// The RowKey range a query reads: from the later of <paramref name="to"/>'s bound and the continuation point, up to
    /// (not including) the end of <paramref name="from"/>. Rows sort newest first, so this is one key range per device.
    /// </summary>
    /// <exception cref="ArgumentException">The continuation token is not one this store issued.</exception>
    public static (string? Start, string? EndExclusive) QueryRange(DateTimeOffset? from, DateTimeOffset? to, string? continuationToken)
    {
        string? start = LowerBound(to);
        if (continuationToken is not null)
        {
            string resume = DecodeToken(continuationToken);
            if (start is null || string.CompareOrdinal(resume, start) > 0)
            {
                start = resume;
            }
        }

        return (start, UpperBoundExclusive(from));
    }

    /// <summary>Checks the arguments of <see cref="ITelemetryHistoryStore.QueryAsync"/>.</summary>
    /// <param name="deviceId">The device id.</param>
    /// <param name="from">The oldest reading time.</param>
    /// <param name="to">The newest reading time.</param>
    /// <param name="limit">The page size.</param>
    /// <exception cref="ArgumentException">An argument is invalid; the message names it and the rule.</exception>
    public static void ValidateQuery(string deviceId, DateTimeOffset? from, DateTimeOffset? to, int limit)
    {
        if (!DeviceId.IsValid(deviceId))
        {
            throw new ArgumentException($"The device id {DeviceId.Rule}.", nameof(deviceId));
        }

        if (limit is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"The limit must be between 1 and {MaxPageSize}.");
        }

        if (from is { } f && to is { } t && f > t)
        {
            throw new ArgumentException($"The range is empty: 'from' ({f:O}) is later than 'to' ({t:O}).", nameof(from));
        }
    }

    /// <summary>Makes the opaque continuation token that resumes a query at <paramref name="nextRowKey"/>.</summary>
    /// <param name="nextRowKey">The key of the first reading of the next page.</param>
    /// <returns>The token (URL-safe base64).</returns>
    public static string EncodeToken(string nextRowKey)
    {
        ArgumentNullException.ThrowIfNull(nextRowKey);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(nextRowKey));
    }

    /// <summary>Reads a continuation token made by <see cref="EncodeToken"/>.</summary>
    /// <param name="continuationToken">The token a client sent back.</param>
    /// <returns>The key the next page starts at (inclusive).</returns>
    /// <exception cref="ArgumentException">The token was not made by this store (the API answers 400).</exception>
    public static string DecodeToken(string continuationToken)
    {
        ArgumentNullException.ThrowIfNull(continuationToken);
        string? rowKey = null;
        // TryDecodeFromChars reports only a short buffer as failure; malformed input throws, so check the shape first.
        if (continuationToken.Length <= 128 && Base64Url.IsValid(continuationToken))
        {
            byte[] buffer = new byte[Base64Url.GetMaxDecodedLength(continuationToken.Length)];
            if (Base64Url.TryDecodeFromChars(continuationToken, buffer, out int written))
            {
                rowKey = Encoding.UTF8.GetString(buffer, 0, written);
            }
        }

        // The shape alone lets through digits past long and ulong (a forged "9999…"): the key must also parse.
        if (rowKey is null || !RowKeyShape().IsMatch(rowKey) || !TelemetryHistoryKey.TryParse(rowKey, out _))
        {
            throw new ArgumentException(
                "The continuation token is not valid: pass back the token of the previous page unchanged, or none for the first page.",
                nameof(continuationToken));
        }

        return rowKey;
    }

    /// <summary>The reading time as the key's first part: inverted, so the newest sorts first.</summary>
    internal static long InvertedTicks(DateTimeOffset timestamp) => s_maxTicks - timestamp.UtcTicks;

    /// <summary>The first <see cref="HashBytes"/> bytes of the reading's content hash, big-endian, so they sort as their hex digits do.</summary>
    internal static ulong ContentHash(TelemetryEvent reading)
    {
        StringBuilder canonical = new(reading.Status?.ToString() ?? "-");
        foreach (KeyValuePair<string, double> metric in reading.Metrics.OrderBy(static m => m.Key, StringComparer.Ordinal))
        {
            canonical.Append('|').Append(metric.Key).Append('=').Append(metric.Value.ToString("R", CultureInfo.InvariantCulture));
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return BinaryPrimitives.ReadUInt64BigEndian(hash.AsSpan(0, HashBytes));
    }

    [GeneratedRegex("^[0-9]{19}_([0-9]{20}|x[0-9a-f]{16})$", RegexOptions.CultureInvariant)]
    private static partial Regex RowKeyShape();
}
