namespace OrleansFleet.Hosting;

/// <summary>The run modes (<c>Fleet:Mode</c>). Each fills in the defaults of <see cref="FleetModeDefaults"/>.</summary>
public enum FleetMode
{
    /// <summary>One process, nothing to install: development clustering, memory state, memory streams.</summary>
    Embedded = 0,

    /// <summary>Several silos on this machine: Azure Storage tables on Azurite for membership, reminders, state and history; Redis Streams.</summary>
    LocalCluster = 1,

    /// <summary>Azure Container Apps: Azure Storage tables (managed identity) and Event Hubs.</summary>
    Azure = 2,
}
