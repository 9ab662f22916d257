using System.Diagnostics;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// The built OrleansFleet host (embedded mode) as a child process on free loopback ports: started, awaited until
/// ready (bounded), and killed with its process tree when disposed, whatever happened in between.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    // Release first (what benchmarks run); Debug when the tests were built that way.
    private static readonly string[] Configurations = ["Release", "Debug"];
    private readonly OutputTail _tail = new(40);

    private HostProcess(Process process, Uri baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
    }

    /// <summary>The child process.</summary>
    public Process Process { get; }

    /// <summary>Where its API listens.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The last lines the host wrote, for error messages.</summary>
    public string Tail => _tail.ToString();

    /// <summary>Finds the built host, next to this repository's sources.</summary>
    public static string LocateHost()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansFleet.sln")))
            {
                var dlls = Configurations.Select(c => Path.Combine(dir.FullName, "src", "OrleansFleet.Silo", "bin", c, "net10.0", "OrleansFleet.Silo.dll")).ToList();
                return dlls.FirstOrDefault(File.Exists)
                    ?? throw new FileNotFoundException($"Build the host first: dotnet build src/OrleansFleet.Silo -c Release (looked for {dlls[0]}).");
            }
        }

        throw new DirectoryNotFoundException("The repository root (OrleansFleet.sln) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Starts the host and waits until <c>/health/ready</c> answers, at most <paramref name="timeout"/>.</summary>
    public static async Task<HostProcess> StartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var dll = LocateHost();
        var port = LoopbackPort.Free();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            dll, "--urls", $"http://127.0.0.1:{port}",
            $"--Orleans:Endpoints:SiloPort={LoopbackPort.Free()}", $"--Orleans:Endpoints:GatewayPort={LoopbackPort.Free()}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Orleans.Runtime.Silo=Warning",
            // The load generator is one client: the per-key request rate limit (issue 14) would measure itself.
            "--Fleet:Security:RateLimit:PermitsPerSecond=0",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var host = new HostProcess(process, url);
        process.OutputDataReceived += (_, e) => host._tail.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host._tail.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await probe.GetAsync("health/ready", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Probe timed out; try again until the deadline.
            }

            await Task.Delay(200, cancellationToken);
        }

        var tail = host.Tail;
        await host.DisposeAsync();
        throw new TimeoutException($"The host at {url} was not ready within {timeout.TotalSeconds:F0} s. Last output:{Environment.NewLine}{tail}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await Process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or not gone in time: nothing more a benchmark can do.
        }

        Process.Dispose();
    }
}
