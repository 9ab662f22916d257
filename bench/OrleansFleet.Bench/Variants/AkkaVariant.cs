using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using OrleansFleet.Bench.Measurement;

namespace OrleansFleet.Bench.Variants;

/// <summary>
/// Akka.NET with one actor per device, the main actor peer on .NET. An actor processes one message at a time, so the
/// device model needs no lock, and Akka keeps the order of messages between one sender and one receiver. Per event
/// sends one message per event (the idiomatic use); batched sends the same per-device batches as the grain variant.
/// </summary>
public sealed class AkkaVariant(bool batched) : IBenchVariant
{
    /// <inheritdoc />
    public string Key => batched ? "akka-batched" : "akka-item";

    /// <inheritdoc />
    public string Name => batched ? "Akka.NET actor/device, batched" : "Akka.NET actor/device, per event";

    /// <inheritdoc />
    public bool InProcess => true;

    /// <inheritdoc />
    public Task<IVariantRun> PrepareAsync(Workload workload, CancellationToken cancellationToken) => Task.FromResult<IVariantRun>(new Run(workload, batched));

    private sealed class Run : ModelRun
    {
        private readonly bool _batched;
        private readonly ActorSystem _system;
        private readonly IActorRef[] _actors;
        private LatencyRecorder _recorder = null!;
        private DeviceBatcher? _batcher;

        public Run(Workload workload, bool batched) : base(workload)
        {
            _batched = batched;
            _system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off"));
            _actors = new IActorRef[workload.Plan.Count];
            for (var d = 0; d < _actors.Length; d++)
            {
                _actors[d] = _system.ActorOf(Props.Create(() => new DeviceActor(this)), workload.Plan.Id(d));
            }
        }

        public override Task ExecuteAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            _recorder = recorder;
            if (_batched)
            {
                _batcher = new DeviceBatcher(_actors.Length, (device, batch, count) => _actors[device].Tell(new ApplyBatch(device, batch, count)));
                return BatchedProducer.RunAsync(Workload, range, _batcher, recorder, cancellationToken);
            }

            return ProducePerEventAsync(range, recorder, cancellationToken);
        }

        public override Task<RunOutcome> VerifyAsync(EventRange sent, CancellationToken cancellationToken)
        {
            Dispatches = _batcher?.Dispatches ?? 0;
            return base.VerifyAsync(sent, cancellationToken);
        }

        public override async ValueTask DisposeAsync()
        {
            await _system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
            _system.Dispose();
            await base.DisposeAsync();
        }

        private async Task ProducePerEventAsync(EventRange range, LatencyRecorder recorder, CancellationToken cancellationToken)
        {
            for (var i = range.Start; i < range.End; i++)
            {
                while (i - range.Start - recorder.Applied > BatchedProducer.MaxOutstanding)
                {
                    await Task.Delay(1, cancellationToken);
                }

                recorder.Ingest(i);
                _actors[Workload.DeviceOf[i]].Tell(new ApplyOne(i));
            }

            await recorder.AllApplied.WaitAsync(cancellationToken);
        }

        private void Handle(ApplyOne message)
        {
            Applier.Apply(message.Index, DateTimeOffset.UtcNow);
            _recorder.Applied1(message.Index, Stopwatch.GetTimestamp());
        }

        private void Handle(ApplyBatch message)
        {
            var now = DateTimeOffset.UtcNow;
            for (var k = 0; k < message.Count; k++)
            {
                Applier.Apply(message.Indices[k], now);
            }

            _recorder.AppliedMany(message.Indices.AsSpan(0, message.Count), Stopwatch.GetTimestamp());
            _batcher!.Completed(message.Device, message.Indices);
        }

        private sealed class DeviceActor(Run run) : UntypedActor
        {
            protected override void OnReceive(object message)
            {
                switch (message)
                {
                    case ApplyOne one:
                        run.Handle(one);
                        break;
                    case ApplyBatch batch:
                        run.Handle(batch);
                        break;
                    default:
                        Unhandled(message);
                        break;
                }
            }
        }
    }

    private sealed record ApplyOne(int Index);

    private sealed record ApplyBatch(int Device, int[] Indices, int Count);
}
