namespace OrleansFleet.Bench.Variants;

/// <summary>What a diagnostic direct-call row changes from the measured one (<see cref="OrleansDirectVariant"/>).</summary>
public enum DirectDiagnostic
{
    /// <summary>The measured row: the host's configuration.</summary>
    None,

    /// <summary>Memory storage keeps state through Orleans' default JSON serializer instead of the binary one.</summary>
    JsonStorage,

    /// <summary>No device checkpoints in the timed part: the apply path alone.</summary>
    NoCheckpoints,
}
