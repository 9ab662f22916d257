namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>Registers an Orleans reminder, so a test can see where the reminder service keeps it.</summary>
[Alias("tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    /// <summary>Registers (or updates) the reminder <paramref name="name"/>, first due in an hour.</summary>
    [Alias("Register")]
    Task RegisterAsync(string name);
}
