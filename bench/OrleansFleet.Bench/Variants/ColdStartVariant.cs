namespace OrleansFleet.Bench.Variants;

/// <summary>
/// The cold-start row of a variant: a fresh instance, every device never seen before, each sent its first event, timed
/// until every one is applied. The runner times the workload's warm-up part instead of the steady state after it.
/// </summary>
public sealed class ColdStartVariant(IBenchVariant inner) : IBenchVariant
{
    /// <inheritdoc />
    public string Key => inner.Key + "-cold";

    /// <inheritdoc />
    public string Name => inner.Name.Replace(", steady state", "", StringComparison.Ordinal) + ", cold start (first event of every device)";

    /// <inheritdoc />
    public bool InProcess => inner.InProcess;

    /// <inheritdoc />
    public bool NeedsServices => inner.NeedsServices;

    /// <inheritdoc />
    public bool ColdStart => true;

    /// <inheritdoc />
    public bool UniformOnly => true;

    /// <inheritdoc />
    public string LatencyMethod => inner.LatencyMethod;

    /// <inheritdoc />
    public Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken) => inner.PrepareAsync(workload, cancellationToken);
}
