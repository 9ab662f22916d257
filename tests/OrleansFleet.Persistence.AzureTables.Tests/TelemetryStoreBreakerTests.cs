using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>With the store unreachable, the breaker opens and later writes fail fast with the dedicated exception.</summary>
public sealed class TelemetryStoreBreakerTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new();
    private readonly ConcurrentDictionary<string, int> _gauges = new();

    public TelemetryStoreBreakerTests()
    {
        ServiceCollection services = new();
        services.AddAzureTableTelemetryHistoryStore(options =>
        {
            options.ConnectionString = TestTables.UnreachableConnectionString;
            options.TableName = TestTables.UniqueTableName("Breaker");
            options.AttemptTimeout = TimeSpan.FromSeconds(2);
            options.MaxRetryAttempts = 1;
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            options.BreakerMinimumThroughput = 2;
            options.BreakerSamplingDuration = TimeSpan.FromSeconds(30);
            options.BreakDuration = TimeSpan.FromMinutes(5);
        });
        _services = services.BuildServiceProvider();
        IMeterFactory factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _counters.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => _gauges[instrument.Name] = value);
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task Breaker_opens_on_an_unreachable_store_then_writes_fail_fast_and_health_and_the_state_gauge_say_so()
    {
        ITelemetryHistoryStore store = _services.GetRequiredService<ITelemetryHistoryStore>();
        TelemetryStoreHealthCheck health = _services.GetRequiredService<TelemetryStoreHealthCheck>();
        TelemetryEvent[] readings = [new("dev-1", 1, DateTimeOffset.UtcNow, new Dictionary<string, double> { ["t"] = 1 })];
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);

        TelemetryStoreUnavailableException first = await Assert.ThrowsAsync<TelemetryStoreUnavailableException>(() => store.WriteAsync(readings, CancellationToken.None));
        Assert.IsNotType<BrokenCircuitException>(first.InnerException);

        TelemetryStoreUnavailableException open = await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await store.WriteAsync(readings, CancellationToken.None);
                    throw new InvalidOperationException("A write to an unreachable store succeeded.");
                }
                catch (TelemetryStoreUnavailableException ex) when (ex.InnerException is BrokenCircuitException)
                {
                    return ex;
                }
                catch (TelemetryStoreUnavailableException)
                {
                    return null;
                }
            },
            TimeSpan.FromSeconds(30),
            "the circuit to open");

        Assert.Contains("circuit is open", open.Message, StringComparison.Ordinal);
        Assert.Equal(CircuitState.Open, _services.GetRequiredService<TelemetryStoreCircuit>().State);
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
        Assert.Equal(1, _counters.GetValueOrDefault("fleet.telemetry_store.breaker_opens"));
        _listener.RecordObservableInstruments();
        Assert.Equal(2, _gauges.GetValueOrDefault("fleet.telemetry_store.breaker_state", -1));
        long failuresBefore = _counters.GetValueOrDefault("fleet.telemetry_store.failures");

        TelemetryStoreUnavailableException again = await Assert.ThrowsAsync<TelemetryStoreUnavailableException>(() => store.WriteAsync(readings, CancellationToken.None));
        Assert.IsType<BrokenCircuitException>(again.InnerException, exactMatch: false);
        Assert.Equal(failuresBefore + 1, _counters.GetValueOrDefault("fleet.telemetry_store.failures"));
        Assert.Equal(0, _counters.GetValueOrDefault("fleet.telemetry_store.rows"));
    }
}
