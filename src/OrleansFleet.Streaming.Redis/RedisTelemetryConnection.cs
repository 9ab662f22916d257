using StackExchange.Redis;

namespace OrleansFleet.Streaming.Redis;

/// <summary>
/// The provider's one Redis connection (a multiplexer is thread-safe and meant to be shared). It is created on first
/// use and never fails to construct while Redis is down (<c>AbortOnConnectFail = false</c>): it reconnects in the
/// background, and meanwhile commands fail fast (<see cref="BacklogPolicy.FailFast"/>) instead of queueing, so a
/// producer learns at once that its write is not durable and the API can answer 503 rather than hang.
/// </summary>
public sealed class RedisTelemetryConnection(RedisTelemetryStreamOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ConnectionMultiplexer? _multiplexer;

    /// <summary>The database, connecting first if needed.</summary>
    public async Task<IDatabase> GetDatabaseAsync()
    {
        var multiplexer = _multiplexer;
        if (multiplexer is null)
        {
            await _connectLock.WaitAsync().ConfigureAwait(false);
            try
            {
                if (_multiplexer is null)
                {
                    var config = ConfigurationOptions.Parse(options.ConnectionString);
                    config.AbortOnConnectFail = false;
                    config.BacklogPolicy = BacklogPolicy.FailFast;
                    var timeout = (int)options.CommandTimeout.TotalMilliseconds;
                    config.ConnectTimeout = timeout;
                    config.AsyncTimeout = timeout;
                    config.SyncTimeout = timeout;
                    config.ReconnectRetryPolicy = new ExponentialRetry(250, 2_000);
                    _multiplexer = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
                }

                multiplexer = _multiplexer;
            }
            finally
            {
                _connectLock.Release();
            }
        }

        return multiplexer.GetDatabase();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.CloseAsync().ConfigureAwait(false);
            multiplexer.Dispose();
        }

        _connectLock.Dispose();
    }
}
