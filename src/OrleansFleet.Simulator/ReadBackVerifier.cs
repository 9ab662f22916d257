using System.Collections.Concurrent;

namespace OrleansFleet.Simulator;

/// <summary>
/// Reads every device that was sent events back from the API and compares it with what was sent: the last seq and the
/// applied count (order and loss), duplicates, and the alarms each device's role must (and must not) have raised.
/// </summary>
public sealed class ReadBackVerifier(FleetApiClient client, int concurrency = 16, int alarmHistoryLimit = 100)
{
    private const string TemperatureHigh = "temperature-high";

    /// <summary>Checks every device of <paramref name="source"/> that was sent at least one event.</summary>
    /// <param name="source">What was sent.</param>
    /// <param name="offlineWait">How long to wait for silent devices to go offline; zero skips that check (the deployment's offline window is usually minutes).</param>
    /// <param name="cancellationToken">Stops the check.</param>
    public async Task<VerificationReport> VerifyAsync(TrafficSource source, TimeSpan offlineWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var plan = source.Plan;
        var devices = Enumerable.Range(0, plan.Count).Where(d => source.LastSeq(d) > 0).ToList();
        var examples = new ConcurrentQueue<string>();
        long unknown = 0, order = 0, missing = 0, duplicates = 0, alarms = 0;

        await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (d, ct) =>
        {
            var id = plan.Id(d);
            var sent = source.LastSeq(d);
            var view = await client.GetDeviceAsync(id, ct);
            if (view is null)
            {
                Interlocked.Increment(ref unknown);
                Note(examples, $"{id}: unknown to the API, {sent} events sent");
                return;
            }

            if (view.LastSeq != sent || view.Counters.Gaps > 0)
            {
                Interlocked.Increment(ref order);
                Note(examples, $"{id}: lastSeq {view.LastSeq} (sent {sent}), gaps {view.Counters.Gaps}");
            }

            Interlocked.Add(ref missing, Math.Max(0, sent - view.Counters.Applied));
            Interlocked.Add(ref duplicates, view.Counters.Duplicates);
            if (!await AlarmsAsExpectedAsync(id, plan.Role(d), sent, view, examples, ct))
            {
                Interlocked.Increment(ref alarms);
            }
        });

        var silentOffline = offlineWait > TimeSpan.Zero ? await CheckSilentOfflineAsync(plan, devices, offlineWait, cancellationToken) : (0, 0);
        return new VerificationReport
        {
            Devices = devices.Count,
            UnknownDevices = (int)unknown,
            OrderViolations = (int)order,
            MissingEvents = missing,
            Duplicates = duplicates,
            UnexpectedAlarms = (int)alarms,
            SilentOffline = silentOffline,
            Examples = [.. examples.Take(10)],
        };
    }

    private async Task<bool> AlarmsAsExpectedAsync(string id, DeviceRole role, long sent, DeviceReadback view, ConcurrentQueue<string> examples, CancellationToken ct)
    {
        var open = view.ActiveAlarms.Count(a => a.RuleId == TemperatureHigh);
        // Only devices that can have raised something need their history read.
        var visible = DeviceScript.ExpectedAlarms(role, sent).Raised == 0 && open == 0
            ? 0
            : (await client.GetAllAlarmsAsync(id, ct)).Count(a => a.RuleId == TemperatureHigh);
        if (DeviceScript.AlarmsMatch(role, sent, open, visible, alarmHistoryLimit))
        {
            return true;
        }

        Note(examples, $"{id} ({role}): {open} open and {visible} temperature alarms in all after {sent} events");
        return false;
    }

    private async Task<(int Offline, int Checked)> CheckSilentOfflineAsync(FleetPlan plan, List<int> devices, TimeSpan wait, CancellationToken ct)
    {
        var silent = devices.Where(d => plan.Role(d) == DeviceRole.Silent).ToList();
        var deadline = DateTime.UtcNow + wait;
        var offline = new HashSet<int>();
        while (offline.Count < silent.Count && DateTime.UtcNow < deadline)
        {
            foreach (var d in silent.Where(d => !offline.Contains(d)))
            {
                if (await client.GetDeviceAsync(plan.Id(d), ct) is { Offline: true })
                {
                    offline.Add(d);
                }
            }

            if (offline.Count < silent.Count)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
            }
        }

        return (offline.Count, silent.Count);
    }

    private static void Note(ConcurrentQueue<string> examples, string example)
    {
        if (examples.Count < 10)
        {
            examples.Enqueue(example);
        }
    }
}
