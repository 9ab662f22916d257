namespace OrleansFleet;

/// <summary>Which side of the threshold is a breach.</summary>
public enum ThresholdComparison
{
    /// <summary>A value above the threshold is a breach; it clears at or below the clear threshold.</summary>
    Above = 0,
    /// <summary>A value below the threshold is a breach; it clears at or above the clear threshold.</summary>
    Below = 1,
}
