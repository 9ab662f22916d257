namespace OrleansFleet.Bench.Durable;

/// <summary>
/// Services one bench run shares between rows and runs, started on first use and stopped when the run ends: today
/// the PostgreSQL behind the Akka.Persistence row (each run of it gets a fresh database on the same server).
/// </summary>
public sealed class BenchServices
{
    private readonly Lock _gate = new();
    private Task<PostgresServer>? _postgres;

    /// <summary>The run's PostgreSQL, started if it is not yet (a failed start fails every row that needs it).</summary>
    public Task<PostgresServer> PostgresAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _postgres ??= PostgresServer.StartAsync(CancellationToken.None);
        }

        return _postgres.WaitAsync(cancellationToken);
    }

    /// <summary>Stops whatever was started; the run calls it however it ends.</summary>
    public async Task StopAsync()
    {
        Task<PostgresServer>? postgres;
        lock (_gate)
        {
            (postgres, _postgres) = (_postgres, null);
        }

        if (postgres is { IsCompletedSuccessfully: true } || postgres is { IsCompleted: false })
        {
            try
            {
                await (await postgres).DisposeAsync();
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
            {
                // It never came up; its start already cleaned up after itself.
            }
        }
    }
}
