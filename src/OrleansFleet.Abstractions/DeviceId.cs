using System.Text.RegularExpressions;

namespace OrleansFleet;

/// <summary>
/// The rule for device ids (and metric names): they become grain keys, stream keys and storage keys,
/// so they are checked before they reach any of them.
/// </summary>
public static partial class DeviceId
{
    /// <summary>
    /// The pattern every device id and metric name matches. "." and ".." alone are refused: an id is a URL path
    /// segment, and clients collapse those segments, so no request could read such a device back.
    /// </summary>
    public const string Pattern = "^(?!\\.{1,2}$)[A-Za-z0-9._:-]{1,128}$";

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-', and not '.' or '..' alone";

    /// <summary>Whether <paramref name="value"/> is a valid id.</summary>
    public static bool IsValid(string? value) => value is not null && ValidId().IsMatch(value);

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex ValidId();
}
