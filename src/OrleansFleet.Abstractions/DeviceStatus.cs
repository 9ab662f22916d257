namespace OrleansFleet;

/// <summary>The operating status a device reports about itself.</summary>
/// <remarks>Persisted by name (never reorder or renumber): the values are part of stored device state.</remarks>
public enum DeviceStatus
{
    /// <summary>No status has been reported yet.</summary>
    Unknown = 0,
    /// <summary>The device is running normally; reading alarms are evaluated.</summary>
    Running = 1,
    /// <summary>The device is shut down: it raises no reading alarms and its open ones are cleared.</summary>
    Shutdown = 2,
    /// <summary>The device is under maintenance.</summary>
    Maintenance = 3,
    /// <summary>The device reports a fault of its own.</summary>
    Fault = 4,
}
