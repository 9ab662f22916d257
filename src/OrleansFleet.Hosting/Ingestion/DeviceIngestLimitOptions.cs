using System.ComponentModel.DataAnnotations;

namespace OrleansFleet.Hosting.Ingestion;

/// <summary>The per-device ingest limit at the API (configuration section <c>Fleet:Ingest</c>).</summary>
public sealed class DeviceIngestLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:Ingest";

    /// <summary>Sustained events per second one device may send; 0 turns the limit off.</summary>
    [Range(0.0, 1_000_000.0)]
    public double PerDeviceEventsPerSecond { get; set; }

    /// <summary>Events one device may send at once after a quiet spell; 0 means one second's worth.</summary>
    [Range(0, 1_000_000)]
    public int PerDeviceBurst { get; set; }

    /// <summary>
    /// The most devices whose buckets are remembered; the least recently seen is forgotten first (and starts again
    /// with a full burst). This bounds the limiter's memory at about 100 bytes a device.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int MaxTrackedDevices { get; set; } = 100_000;

    internal double Burst => PerDeviceBurst > 0 ? PerDeviceBurst : Math.Max(1, Math.Ceiling(PerDeviceEventsPerSecond));
}
