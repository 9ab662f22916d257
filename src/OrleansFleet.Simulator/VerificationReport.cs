namespace OrleansFleet.Simulator;

/// <summary>What reading the API back found, against what was sent.</summary>
public sealed record VerificationReport
{
    /// <summary>Devices that were sent events.</summary>
    public int Devices { get; init; }

    /// <summary>Devices the API does not know although events were accepted for them.</summary>
    public int UnknownDevices { get; init; }

    /// <summary>Devices whose lastSeq differs from the last seq sent, or that applied past a gap.</summary>
    public int OrderViolations { get; init; }

    /// <summary>Sent minus applied, summed over devices where it is positive (held events count as missing).</summary>
    public long MissingEvents { get; init; }

    /// <summary>Events the API dropped as duplicates (expected 0: nothing is sent twice).</summary>
    public long Duplicates { get; init; }

    /// <summary>Devices whose alarms differ from what their role must raise (an open alarm on a normal device, a ghost alarm after shutdown, a flapping alarm raised twice).</summary>
    public int UnexpectedAlarms { get; init; }

    /// <summary>Silent devices found offline, and how many were checked (0 when the offline check was not asked for).</summary>
    public (int Offline, int Checked) SilentOffline { get; init; }

    /// <summary>Up to ten examples of what was wrong.</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];

    /// <summary>True when nothing was lost, reordered or wrongly alarmed.</summary>
    public bool Passed => UnknownDevices == 0 && OrderViolations == 0 && MissingEvents == 0 && UnexpectedAlarms == 0;
}
