using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using StackExchange.Redis;

namespace OrleansFleet.Testing;

/// <summary>
/// A redis-server of the test's own, on a free loopback port, that the test may kill and restart without disturbing
/// the shared one. It writes an append-only file synced on every write (<c>appendfsync always</c>), the setting under
/// which a confirmed XADD survives a crash, so "nothing acknowledged is lost" is a claim about the provider, not luck.
/// </summary>
public sealed class PrivateRedisServer : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-redis-").FullName;
    private Process? _process;

    private PrivateRedisServer(int port) => Port = port;

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<PrivateRedisServer> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new PrivateRedisServer(port);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>(Re)starts the server on the same port and data directory.</summary>
    public async Task StartAgainAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", _dir])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start; run ./scripts/test.sh once so it is installed");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await using var probe = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",connectTimeout=200");
                    return probe.IsConnected && (await probe.GetDatabase().PingAsync()) < TimeSpan.FromSeconds(5);
                }
                catch (RedisConnectionException)
                {
                    return false;
                }
                catch (RedisServerException ex) when (ex.Message.StartsWith("LOADING", StringComparison.Ordinal))
                {
                    // Restarted on its append-only file: it answers, but refuses commands until the data is loaded.
                    return false;
                }
            },
            TimeSpan.FromSeconds(20),
            $"private redis-server on port {Port} answering");
    }

    /// <summary>Kills the server abruptly (SIGKILL).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
