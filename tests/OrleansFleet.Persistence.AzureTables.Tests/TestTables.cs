using System.Text.RegularExpressions;

namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>The real Azurite the test script starts; tests never skip when it is missing, they fail and say how to run them.</summary>
internal static partial class TestTables
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("FLEET_TEST_TABLES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("FLEET_TEST_TABLES is not set: these tests need Azurite's table service; run ./scripts/test.sh, which starts it and sets the variable.");

    /// <summary>The same account on a loopback port nothing listens on, so every request fails at once with a network error.</summary>
    public static string UnreachableConnectionString => TableEndpointPort().Replace(ConnectionString, "127.0.0.1:1/");

    /// <summary>A table of its own for each test class, so parallel classes and repeated runs never share rows.</summary>
    public static string UniqueTableName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..16];

    [GeneratedRegex(@"127\.0\.0\.1:[0-9]+/")]
    private static partial Regex TableEndpointPort();
}
