using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using OrleansFleet.Bench.Measurement;
using OrleansFleet.Bench.Variants;
using OrleansFleet.Grains.Domain;
using OrleansFleet.Grains.State;

namespace OrleansFleet.Bench.Durable;

/// <summary>
/// The durable peer: Akka.NET with one persistent actor per device, journaled by Akka.Persistence.Sql (linq2db) to a
/// PostgreSQL the bench starts itself. Each of the plan's batches (the same calls the OrleansFleet direct row makes)
/// is persisted with <c>PersistAll</c>, one journal row per event, and applied by the project's
/// <see cref="DeviceModel"/> in the persist handler, so a batch is done when it is durable and applied. This is the
/// shape a .NET team would pick for durable per-device processing without Orleans.
/// </summary>
public sealed class AkkaPersistenceVariant(BenchServices services) : IBenchVariant
{
    /// <inheritdoc />
    public string Key => "akka-persistence";

    /// <inheritdoc />
    public string Name => "Akka.Persistence.Sql on PostgreSQL, actor/device, PersistAll per batch, steady state";

    /// <inheritdoc />
    public bool InProcess => true;

    /// <inheritdoc />
    public bool NeedsServices => true;

    /// <inheritdoc />
    public string LatencyMethod => "persisted to PostgreSQL and applied";

    /// <inheritdoc />
    public async Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken)
    {
        var postgres = await services.PostgresAsync(cancellationToken);
        // A fresh database per run: empty journal, no recovery carried from one run into the next.
        var connection = await postgres.CreateDatabaseAsync(cancellationToken);
        return new Run(workload, connection);
    }

    private static Config Hocon(string connection)
    {
        var quoted = "\"" + connection.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        return ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              log-dead-letters = off
              persistence {
                journal {
                  plugin = "akka.persistence.journal.sql"
                  sql {
                    connection-string = {{quoted}}
                    provider-name = "PostgreSQL.15"
                    auto-initialize = true
                  }
                }
                snapshot-store {
                  plugin = "akka.persistence.snapshot-store.sql"
                  sql {
                    connection-string = {{quoted}}
                    provider-name = "PostgreSQL.15"
                    auto-initialize = true
                  }
                }
              }
            }
            """).WithFallback(SqlPersistence.DefaultConfiguration);
    }

    private sealed class Run : IVariantRun
    {
        private readonly Workload _workload;
        private readonly ActorSystem _system;
        private readonly IActorRef[] _actors;
        private readonly ApplyOrderAudit _audit;
        private PlannedProducer? _producer;

        public Run(Workload workload, string connection)
        {
            _workload = workload;
            _audit = new ApplyOrderAudit(workload.Index);
            _system = ActorSystem.Create("bench-persistence", Hocon(connection));
            _actors = new IActorRef[workload.Plan.Count];
            for (var d = 0; d < _actors.Length; d++)
            {
                var id = workload.Plan.Id(d);
                _actors[d] = _system.ActorOf(Props.Create(() => new DeviceActor(id, _audit)), id);
            }
        }

        public Process Process { get; } = Process.GetCurrentProcess();

        public Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            var plan = _workload.Batches(range);
            _producer = new PlannedProducer(plan, _actors.Length, batch =>
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _actors[batch.Device].Tell(new PersistBatch(_workload.EventsOf(plan, batch), done));
                return done.Task;
            }, recorder, appliedOnReturn: true);
            return _producer.RunAsync(cancellationToken);
        }

        public Task<RunOutcome> VerifyAsync(EventRange sent, CancellationToken cancellationToken) =>
            DeviceCheck.CollectAsync(_workload, async d => await _actors[d].Ask<DeviceCheck>(CheckDevice.Instance, TimeSpan.FromSeconds(30), cancellationToken), sent, PlannedProducer.Counts(_producer, _audit.Violations, "apply hook in the persistent actor"), cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await _system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
            _system.Dispose();
            Process.Dispose();
        }
    }

    /// <summary>One persistent actor per device: its journal is the device's event log, its model the live state.</summary>
    private sealed class DeviceActor : ReceivePersistentActor
    {
        private readonly DeviceModel _model;
        private TaskCompletionSource? _pending;

        public DeviceActor(string deviceId, ApplyOrderAudit audit)
        {
            PersistenceId = deviceId;
            _model = DeviceApplier.NewModel(deviceId, new DeviceState());
            Recover<TelemetryEvent>(e => DeviceApplier.Receive(_model, e, DateTimeOffset.UtcNow));
            Command<PersistBatch>(command =>
            {
                // The order the actor hands events to its domain code: persist handlers run in PersistAll's order.
                audit.Audit(command.Events, out _);
                var remaining = command.Events.Length;
                var now = DateTimeOffset.UtcNow;
                _pending = command.Done;
                PersistAll(command.Events, e =>
                {
                    DeviceApplier.Receive(_model, e, now);
                    if (--remaining == 0)
                    {
                        command.Done.TrySetResult();
                    }
                });
            });
            Command<CheckDevice>(_ => Sender.Tell(DeviceApplier.Check(_model)));
        }

        public override string PersistenceId { get; }

        // A failed write stops the actor (Akka's rule: its state may be behind the journal); the waiting batch fails
        // with it, so the run counts an error instead of waiting out its time box.
        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
        {
            _pending?.TrySetException(cause);
            base.OnPersistFailure(cause, @event, sequenceNr);
        }

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
        {
            _pending?.TrySetException(cause);
            base.OnPersistRejected(cause, @event, sequenceNr);
        }
    }

    private sealed record PersistBatch(TelemetryEvent[] Events, TaskCompletionSource Done);

    private sealed class CheckDevice
    {
        public static readonly CheckDevice Instance = new();
    }
}
