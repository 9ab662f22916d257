namespace OrleansFleet.Hosting;

/// <summary>Where the telemetry history lives (<c>Fleet:Storage:Provider</c>). Grain state is Orleans' <c>Orleans:GrainStorage</c>.</summary>
public enum FleetStorageProvider
{
    /// <summary>In memory, bounded per device, lost on restart: the embedded mode's default.</summary>
    Memory,

    /// <summary>Azure Table Storage (or Azurite), on the account of <c>Fleet:Storage</c>.</summary>
    AzureTables,
}
