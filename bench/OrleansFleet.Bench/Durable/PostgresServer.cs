using System.Diagnostics;
using Npgsql;
using OrleansFleet.Bench.Variants;

namespace OrleansFleet.Bench.Durable;

/// <summary>
/// A throwaway PostgreSQL for one bench run: <c>initdb</c> into a fresh temp directory, the server on a free
/// 127.0.0.1 port (its socket in that directory, nothing else listening), default durability (fsync and synchronous
/// commit on, as a production journal would run). Stopped and deleted on dispose, and at process exit if the bench
/// ends another way. PostgreSQL refuses to run as root, so under root it runs as the <c>postgres</c> user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string RunAsUser = "postgres";
    private readonly string _bin;
    private readonly string _directory;
    private readonly Process _server;
    private readonly OutputTail _tail = new(20);
    private int _databases;
    private int _stopped;

    private PostgresServer(string bin, string directory, Process server, int port)
    {
        _bin = bin;
        _directory = directory;
        _server = server;
        Port = port;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Finds PostgreSQL 15's binaries (Debian's <c>postgresql</c> package), or says how to install them.</summary>
    public static string LocateBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("FLEET_BENCH_PG_BIN");
        foreach (var candidate in new[] { configured, "/usr/lib/postgresql/15/bin" })
        {
            if (candidate is not null && File.Exists(Path.Combine(candidate, "initdb")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            "PostgreSQL 15 was not found (looked for /usr/lib/postgresql/15/bin/initdb, or FLEET_BENCH_PG_BIN). Install it with: apt-get install -y postgresql-15");
    }

    /// <summary>Initialises a cluster in a temp directory and starts it; waits (bounded) until it accepts connections.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken)
    {
        var bin = LocateBinaries();
        var directory = Directory.CreateTempSubdirectory("fleet-bench-pg-").FullName;
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                var chown = new ProcessStartInfo("chown") { RedirectStandardOutput = true, RedirectStandardError = true };
                chown.ArgumentList.Add($"{RunAsUser}:{RunAsUser}");
                chown.ArgumentList.Add(directory);
                await RunAsync(chown, cancellationToken);
            }

            var data = Path.Combine(directory, "data");
            // --no-sync: initdb's own fsyncs only protect a cluster that is thrown away after the run anyway.
            await RunAsync(Command(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]), cancellationToken);
            var port = LoopbackPort.Free();
            var server = Process.Start(Command(Path.Combine(bin, "postgres"),
                ["-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", directory, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"]))
                ?? throw new InvalidOperationException("postgres did not start");
            var postgres = new PostgresServer(bin, directory, server, port);
            server.OutputDataReceived += (_, e) => postgres._tail.Keep(e.Data);
            server.ErrorDataReceived += (_, e) => postgres._tail.Keep(e.Data);
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            await postgres.WaitReadyAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return postgres;
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>The connection string for <paramref name="database"/>.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=64;Timeout=30";

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = $"bench_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await RunAsync(Command(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", Path.Combine(_directory, "data"), "-m", "fast", "-w"]), stop.Token);
            await _server.WaitForExitAsync(stop.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            Kill();
        }

        _server.Dispose();
        DeleteDirectory(_directory);
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // Ctrl-C or an unhandled error that skipped the dispose: do not leave a server and its files behind.
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            Kill();
            DeleteDirectory(_directory);
        }
    }

    private void Kill()
    {
        try
        {
            if (!_server.HasExited)
            {
                _server.Kill(entireProcessTree: true);
                _server.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline && !_server.HasExited)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                var tail = _tail.ToString();
                await DisposeAsync();
                throw new TimeoutException($"PostgreSQL on port {Port} did not accept connections within {timeout.TotalSeconds:F0} s: {ex.Message}{Environment.NewLine}{tail}", ex);
            }
        }
    }

    private static ProcessStartInfo Command(string file, IEnumerable<string> arguments)
    {
        // Under root, setpriv execs the command as the postgres user in place: no extra process between us and it,
        // so the Process handle is the server itself.
        var asUser = Environment.IsPrivilegedProcess;
        var start = new ProcessStartInfo(asUser ? "setpriv" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser)
        {
            foreach (var arg in new[] { $"--reuid={RunAsUser}", $"--regid={RunAsUser}", "--init-groups", "--", file })
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static async Task RunAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in the temp directory; the OS cleans it.
        }
    }
}
