namespace OrleansFleet.Hosting;

/// <summary>The run mode (<c>Fleet:Mode</c>): the one setting that picks every provider's default.</summary>
public sealed class FleetModeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet";

    /// <summary>The full configuration key of <see cref="Mode"/>.</summary>
    public const string ModeKey = SectionName + ":" + nameof(Mode);

    /// <summary>
    /// <see cref="FleetMode.Embedded"/>, <see cref="FleetMode.LocalCluster"/> or <see cref="FleetMode.Azure"/>
    /// (case-insensitive). A string, not the enum, so a wrong value is reported by the validator with the choices
    /// instead of failing inside the configuration binder.
    /// </summary>
    public string Mode { get; set; } = nameof(FleetMode.Embedded);

    /// <summary>Reads a mode; an absent value is the embedded mode.</summary>
    /// <param name="value">The configured value.</param>
    /// <param name="mode">The mode it names.</param>
    /// <returns>Whether the value names a mode.</returns>
    internal static bool TryParse(string? value, out FleetMode mode)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            mode = FleetMode.Embedded;
            return true;
        }

        return Enum.TryParse(value, ignoreCase: true, out mode) && Enum.IsDefined(mode) && !char.IsAsciiDigit(value.Trim()[0]);
    }
}
