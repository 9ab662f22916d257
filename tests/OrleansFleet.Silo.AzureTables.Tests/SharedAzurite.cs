using Azure.Data.Tables;

namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>The Azurite the test script starts; tests never skip when it is missing, they fail and say how to run them.</summary>
internal static class SharedAzurite
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("FLEET_TEST_TABLES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("FLEET_TEST_TABLES is not set: these tests need Azurite's table service; run ./scripts/test.sh, which starts it and sets the variable.");

    /// <summary>A table name of its own for each test, so parallel tests and repeated runs never share rows.</summary>
    public static string UniqueTableName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..16];

    public static TableClient Table(string name) => new(ConnectionString, name);
}
