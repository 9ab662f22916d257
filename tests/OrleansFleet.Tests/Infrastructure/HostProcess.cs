using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrleansFleet.Hosting.Security;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// The built host (OrleansFleet.Silo.dll, copied beside the tests) run as its own process on free loopback ports,
/// exactly as <c>dotnet run --project src/OrleansFleet.Silo</c> runs it, configured with <see cref="TestKeys"/> unless
/// started without keys; <see cref="CreateClient"/> sends <see cref="TestKeys.All"/>. Disposing kills it.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

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
    public static async Task<HostProcess> StartWithoutKeysAsync(params string[] arguments)
    {
        var port = FreePort.Next();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OrleansFleet.Silo.dll"));
        foreach (var argument in (string[])[
            "--urls", baseAddress.ToString(),
            "--Orleans:Endpoints:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            "--Orleans:Endpoints:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The host did not start.");
        var host = new HostProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
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
        await host.DisposeAsync();
        throw new InvalidOperationException($"The host was not ready within 60 s (exited: {process.HasExited}). Output:\n{output}");
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
