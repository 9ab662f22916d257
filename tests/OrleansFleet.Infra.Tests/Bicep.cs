using System.Diagnostics;
using System.Reflection;

namespace OrleansFleet.Infra.Tests;

/// <summary>Runs the bicep compiler that the Azure.Bicep.CommandLine package restored.</summary>
internal static class Bicep
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The binary, as the package's props name it (MSBuild writes the path with either separator).</summary>
    public static string ExecutablePath { get; } = FindExecutable();

    /// <summary>Runs <c>bicep</c> with <paramref name="arguments"/> in infra/ and returns its exit code and output.</summary>
    public static BicepResult Run(params string[] arguments)
    {
        ProcessStartInfo start = new(ExecutablePath)
        {
            WorkingDirectory = Repository.Infra,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {ExecutablePath}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string FindExecutable()
    {
        string configured = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == "BicepPath")?.Value
            ?? throw new InvalidOperationException("The test assembly has no BicepPath: is Azure.Bicep.CommandLine.linux-x64 referenced?");
        string path = Path.GetFullPath(configured.Replace('\\', Path.DirectorySeparatorChar));
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The bicep binary is not at {path}; restore tests/OrleansFleet.Infra.Tests.", path);
    }
}

/// <summary>What one bicep command did.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="StandardOutput">Its standard output (the compiled template with <c>--stdout</c>).</param>
/// <param name="StandardError">Its standard error: the diagnostics.</param>
internal sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Exit code and diagnostics, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\n{StandardError}{StandardOutput}";
}
