using System.Diagnostics;
using System.Net;
using System.Threading.Channels;

namespace OrleansFleet.Simulator;

/// <summary>
/// Sends events to an OrleansFleet API as fast as it accepts them. Each device is routed to one sender (the classic
/// sharded pool, on the client side): a sender's requests go one after another, so the API never sees two requests
/// for the same device at once and order by <c>seq</c> holds without the server having to repair it.
/// Queues are bounded, so a caller that produces faster than the API accepts waits in <see cref="SendAsync"/>.
/// </summary>
public sealed class LoadGenerator
{
    private readonly FleetApiClient _client;
    private readonly LoadGeneratorOptions _options;
    private readonly Action<OutgoingEvent, long>? _onAccepted;
    private readonly Channel<OutgoingEvent>[] _queues;
    private readonly Task[] _senders;
    private long _accepted;
    private long _rejected;
    private long _requests;
    private string? _lastError;

    /// <summary>Starts the senders. <paramref name="onAccepted"/> is called per event with the acceptance timestamp.</summary>
    public LoadGenerator(FleetApiClient client, LoadGeneratorOptions options, Action<OutgoingEvent, long>? onAccepted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _onAccepted = onAccepted;
        _queues = new Channel<OutgoingEvent>[options.Senders];
        _senders = new Task[options.Senders];
        for (var i = 0; i < options.Senders; i++)
        {
            _queues[i] = Channel.CreateBounded<OutgoingEvent>(new BoundedChannelOptions(options.BatchSize * 4) { SingleReader = true, SingleWriter = true });
            var queue = _queues[i];
            _senders[i] = Task.Run(() => SendLoopAsync(queue.Reader, cancellationToken), cancellationToken);
        }
    }

    /// <summary>Events the API accepted (202).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Events in requests the API refused after every attempt.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Requests sent, retries included.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The last refusal or failure, if any.</summary>
    public string? LastError => _lastError;

    /// <summary>Queues one event of device number <paramref name="device"/> (the caller's 0-based device number).</summary>
    public ValueTask SendAsync(TelemetryEvent telemetry, int device, int index, CancellationToken cancellationToken) =>
        _queues[device % _queues.Length].Writer.WriteAsync(new OutgoingEvent(telemetry, index, Stopwatch.GetTimestamp()), cancellationToken);

    /// <summary>Sends what is queued and waits for every sender to finish.</summary>
    public async Task CompleteAsync()
    {
        foreach (var queue in _queues)
        {
            queue.Writer.TryComplete();
        }

        await Task.WhenAll(_senders);
    }

    private async Task SendLoopAsync(ChannelReader<OutgoingEvent> reader, CancellationToken cancellationToken)
    {
        using var writer = new TelemetryWireWriter();
        var batch = new OutgoingEvent[_options.BatchSize];
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var count = 0;
            while (count < batch.Length && reader.TryRead(out var item))
            {
                batch[count++] = item;
            }

            var body = writer.Write(batch.AsSpan(0, count));
            if (await PostWithRetryAsync(body, cancellationToken))
            {
                var now = Stopwatch.GetTimestamp();
                Interlocked.Add(ref _accepted, count);
                for (var i = 0; i < count && _onAccepted is not null; i++)
                {
                    _onAccepted(batch[i], now);
                }
            }
            else
            {
                Interlocked.Add(ref _rejected, count);
            }

            Array.Clear(batch, 0, count);
        }
    }

    private async Task<bool> PostWithRetryAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            Interlocked.Increment(ref _requests);
            TimeSpan? retryAfter = null;
            try
            {
                var answer = await _client.PostTelemetryAsync(body, cancellationToken);
                if (answer.Status == HttpStatusCode.Accepted)
                {
                    return true;
                }

                _lastError = $"HTTP {(int)answer.Status}";
                if (answer.Status is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
                {
                    // A 4xx other than 429 will not get better by sending the same body again.
                    return false;
                }

                // Backpressure: the server says when the whole request may fit; sooner only adds refusals.
                retryAfter = answer.RetryAfter;
            }
            catch (HttpRequestException ex)
            {
                _lastError = ex.Message;
            }

            if (attempt < _options.MaxAttempts)
            {
                await Task.Delay(retryAfter ?? TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
        }

        return false;
    }
}
