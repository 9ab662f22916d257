namespace OrleansFleet.Silo.Hosting;

/// <summary>Where grain state and the telemetry history live (<c>Fleet:Storage:Provider</c>).</summary>
public enum FleetStorageProvider
{
    /// <summary>In memory, lost on restart: the embedded mode's default, nothing to install.</summary>
    Memory,

    /// <summary>Azure Table Storage (or Azurite): grain state, stream subscriptions and the telemetry history.</summary>
    AzureTables,
}
