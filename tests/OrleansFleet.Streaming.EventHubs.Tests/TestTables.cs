namespace OrleansFleet.Streaming.EventHubs.Tests;

/// <summary>Azurite's table service, started by scripts/test.sh.</summary>
public static class TestTables
{
    /// <summary>The connection string of <c>FLEET_TEST_TABLES</c>.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("FLEET_TEST_TABLES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("FLEET_TEST_TABLES is not set: these tests keep Event Hubs checkpoints in Azurite's table service; run ./scripts/test.sh, which starts it and sets the variable.");
}
