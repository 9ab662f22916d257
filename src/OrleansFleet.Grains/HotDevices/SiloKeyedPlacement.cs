using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace OrleansFleet.Grains.HotDevices;

/// <summary>
/// Placement for per-silo grains: the grain's string key is a silo address (<c>SiloAddress.ToParsableString()</c>) and
/// the grain is activated on that silo. Orleans has no built-in way to address "the grain on silo X" (a
/// <c>[StatelessWorker]</c> is always local to the caller, a system target is internal machinery), and a custom
/// placement director is the documented extension point for exactly this choice.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.SiloKeyedPlacement")]
public sealed class SiloKeyedPlacement : PlacementStrategy
{
    internal static SiloKeyedPlacement Singleton { get; } = new();
}

/// <summary>Marks a grain class as placed by <see cref="SiloKeyedPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloKeyedPlacementAttribute() : PlacementAttribute(SiloKeyedPlacement.Singleton);

/// <summary>Places a <see cref="SiloKeyedPlacement"/> grain on the silo its key names, if that silo is in the cluster.</summary>
public sealed class SiloKeyedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        var silo = SiloAddress.FromParsableString(key);
        // A key naming a silo that has left must fail, not quietly activate elsewhere and report another silo's tracker.
        return context.GetCompatibleSilos(target).Contains(silo)
            ? Task.FromResult(silo)
            : throw new OrleansException($"Silo {key} is not an active, compatible silo of this cluster.");
    }
}
