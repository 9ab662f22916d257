namespace OrleansFleet.Tests.Infrastructure;

/// <summary>The repository the tests were built from: README.md, .tools/ and the sources live there.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansFleet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No OrleansFleet.sln above {AppContext.BaseDirectory}.");
    }
}
