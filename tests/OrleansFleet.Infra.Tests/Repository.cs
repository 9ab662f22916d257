namespace OrleansFleet.Infra.Tests;

/// <summary>Paths in the repository under test, found from the test assembly's folder.</summary>
internal static class Repository
{
    /// <summary>The folder holding OrleansFleet.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The infra/ folder of the azd project.</summary>
    public static string Infra => Path.Combine(Root, "infra");

    /// <summary>Every Bicep file under infra/, relative to it, in a stable order.</summary>
    public static IEnumerable<string> BicepFiles() =>
        Directory.EnumerateFiles(Infra, "*.bicep", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Infra, file))
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansFleet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No OrleansFleet.sln above {AppContext.BaseDirectory}.");
    }
}
