using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrleansFleet.Hosting.Security;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// The built host (OrleansFleet.Silo.dll, copied beside the tests, or the API deployable OrleansFleet.Api.dll) run as
/// its own process on free loopback ports, exactly as <c>dotnet run --project src/OrleansFleet.Silo</c> runs it, configured with <see cref="TestKeys"/> unless
/// started without keys; <see cref="CreateClient"/> sends <see cref="TestKeys.All"/>. Disposing kills it.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    // Generous: on a loaded machine a cold start (JIT, joining the cluster, creating tables) takes long; a healthy host
    // is ready in seconds, so the deadline only bounds how long a broken one is waited for.
    private const int ReadySeconds = 120;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, Uri baseAddress, int? siloPort)
    {
        _process = process;
        BaseAddress = baseAddress;
        SiloPort = siloPort;
    }

    public Uri BaseAddress { get; }

    /// <summary>The silo's port (what its <c>SiloAddress</c> carries); <c>null</c> for the API process.</summary>
    public int? SiloPort { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the host with <see cref="TestKeys"/> and <paramref name="arguments"/>.</summary>
    public static Task<HostProcess> StartAsync(params string[] arguments) => StartWithoutKeysAsync([.. TestKeys.Arguments, .. arguments]);

    /// <summary>A client of this host that sends <see cref="TestKeys.All"/>.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, TestKeys.All);
        return client;
    }

    /// <summary>Starts the host with only <paramref name="arguments"/>: without keys it is the embedded mode's open access.</summary>
    public static Task<HostProcess> StartWithoutKeysAsync(params string[] arguments)
    {
        var siloPort = FreePort.Next();
        return LaunchAsync(AppContext.BaseDirectory, "OrleansFleet.Silo.dll", siloPort, [
            "--Orleans:Endpoints:SiloPort", siloPort.ToString(CultureInfo.InvariantCulture),
            "--Orleans:Endpoints:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            .. arguments]);
    }

    /// <summary>
    /// Starts the API deployable (OrleansFleet.Api, an Orleans client) with <see cref="TestKeys"/> and
    /// <paramref name="arguments"/>, from its own build output (referenced by the tests for the build order only, so
    /// its appsettings.json, read from the project folder as the content root, never replaces the silo's here), ready
    /// once its cluster answers.
    /// </summary>
    public static Task<HostProcess> StartApiAsync(params string[] arguments) => StartApiWithoutKeysAsync([.. TestKeys.Arguments, .. arguments]);

    /// <summary>Starts the API deployable with only <paramref name="arguments"/> (see <see cref="StartApiAsync"/>).</summary>
    public static Task<HostProcess> StartApiWithoutKeysAsync(params string[] arguments)
    {
        // tests/OrleansFleet.Tests/bin/{Configuration}/{TargetFramework}/ → src/OrleansFleet.Api/bin/{Configuration}/{TargetFramework}/
        var framework = new DirectoryInfo(AppContext.BaseDirectory);
        var output = Path.Combine(Repository.Root, "src", "OrleansFleet.Api", "bin", framework.Parent!.Name, framework.Name);
        string project = Path.Combine(Repository.Root, "src", "OrleansFleet.Api");
        return LaunchAsync(output, "OrleansFleet.Api.dll", siloPort: null, ["--contentRoot", project, .. arguments]);
    }

    private static async Task<HostProcess> LaunchAsync(string directory, string assembly, int? siloPort, string[] arguments)
    {
        var port = FreePort.Next();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(directory, assembly));
        foreach (var argument in (string[])["--urls", baseAddress.ToString(), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The host did not start.");
        var host = new HostProcess(process, baseAddress, siloPort);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(ReadySeconds);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        var output = host.Output;
        var exited = process.HasExited;
        await host.DisposeAsync();
        throw new InvalidOperationException($"The host was not ready within {ReadySeconds} s (exited: {exited}). Output:\n{output}");
    }

    /// <summary>
    /// Ends the host the hard way: <see cref="Process.Kill(bool)"/> sends SIGKILL on Linux, so nothing runs on the way
    /// out (no deactivation, no checkpoint, no graceful stream shutdown), as in a machine or container crash.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
