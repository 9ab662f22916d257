using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>
/// An Azurite table service of one test's own, on a free loopback port, persisting to a temporary directory so it can
/// be stopped and started again with its data: the shared Azurite of the test script runs in memory and serves
/// every other test, so it must never be stopped.
/// </summary>
internal sealed class PrivateAzurite : IAsyncDisposable
{
    // Azurite's well-known development account key: public, documented by Microsoft, not a secret.
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _executable;
    private readonly string _location = Directory.CreateTempSubdirectory("fleet-azurite-").FullName;
    private Process? _process;

    private PrivateAzurite(string executable, int port)
    {
        _executable = executable;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <summary>Starts Azurite, installed by <c>scripts/test.sh</c> under <c>.tools/azurite</c> of the repository.</summary>
    public static async Task<PrivateAzurite> StartAsync()
    {
        string executable = Path.Combine(RepositoryRoot(), ".tools", "azurite", "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run ./scripts/test.sh, which installs it.");
        }

        PrivateAzurite azurite = new(executable, FreePort());
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>Starts the service (again) on the same port and directory, and waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        ProcessStartInfo start = new(_executable)
        {
            ArgumentList = { "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _location, "--disableTelemetry", "--skipApiVersionCheck", "--silent" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await AcceptsAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{Port} within 30 s (exited: {_process.HasExited}).");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Stops the service with SIGINT, the one signal on which Azurite's table service saves its database before it
    /// exits (it autosaves only every 5 s, so SIGTERM or SIGKILL lose recent writes, which no real storage account would).
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        using TcpClient client = new();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
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
