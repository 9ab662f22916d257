#!/usr/bin/env python3
"""Soak run (not in CI): the built host under steady API load for a bounded time, recording memory and latency.

    dotnet build src/OrleansFleet.Silo -c Release -nologo -v q
    python3 scripts/soak.py                      # 300 s, writes bench/results/soak.md and soak.json
    python3 scripts/soak.py --duration 20 --out .run/soak-smoke

Load: --rate requests per second (paced, not as fast as possible) of --batch events each over --devices devices,
with one read (GET device) in every ten requests; every request sends an API key (the host is started with its hash).
Every --sample seconds: the host's resident memory (VmRSS), its GC heap as of the last collection and the GC's
committed memory (dotnet-counters, System.Runtime), and p50/p99/max latency and errors of that window.

Warm-up: the embedded host keeps two things in memory by design, and memory counts only once both are full: the
telemetry history (the newest --history-per-device readings of every device) and the memory stream cache (the last
two minutes of batches). The default warm-up is the later of the two plus 10 s, at least a fifth of the run.

Heap snapshots (dotnet-gcdump, which forces a full blocking GC first): at the end of warm-up and 15 s before the end,
so the GC heap after a gen2 is compared without server GC's lazy decommit in the way, and the types that grew are
listed. The verdict: flat when the median RSS of the last third after warm-up is < 10 % above the first third's and the
GC heap after gen2 grew < 10 % between the two snapshots.
"""
import argparse, csv, hashlib, json, os, re, secrets, shutil, socket, statistics, subprocess, sys, threading, time, urllib.request, urllib.error
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STREAM_CACHE_WINDOW = 120  # MemoryTelemetryStreamExtensions.CacheWindow


def dotnet_tool(name):
    found = shutil.which(name) or os.path.expanduser(f"~/.dotnet/tools/{name}")
    return found if os.path.exists(found) else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def heap_snapshot(tool, pid, path):
    """A gcdump of the host (a full blocking GC first): the GC heap's total bytes, and per type its object count and
    the size gcdump reports for it, which is each object's size only for fixed-size types (arrays and strings vary, and
    gcdump prints one object's size for them, so their bytes are not summed)."""
    subprocess.run([tool, "collect", "-p", str(pid), "-o", path], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    report = subprocess.run([tool, "report", path], check=True, capture_output=True, text=True, timeout=180).stdout
    total = int(re.search(r"([\d,]+)\s+GC Heap bytes", report).group(1).replace(",", ""))
    types = {}
    for line in report.splitlines():
        # "  size  count  type [assembly]"; arrays come in size classes ("System.Byte[] (Bytes > 1M)"), kept apart
        match = re.match(r"\s*([\d,]+)\s+([\d,]+)\s+(.+?)\s+\[", line)
        if match:
            size, count, name = int(match.group(1).replace(",", "")), int(match.group(2).replace(",", "")), match.group(3)
            fixed = not name.endswith("]") and "(Bytes >" not in name and name != "System.String"
            bytes_, objects = types.get(name, (0, 0))
            types[name] = (bytes_ + size * count if fixed else None, objects + count)
    return total, types


def gc_series(path, started_wall):
    """GC heap as of the last collection (all generations), GC committed memory and working set, by run time."""
    rows = {}
    if not os.path.exists(path):
        return []
    with open(path, newline="") as counters:
        for row in csv.DictReader(counters):
            name, value = row["Counter Name"], float(row["Mean/Increment"])
            stamp = datetime.strptime(row["Timestamp"], "%m/%d/%Y %H:%M:%S").timestamp()
            entry = rows.setdefault(stamp, {"heap": 0.0, "committed": None})
            if name.startswith("dotnet.gc.last_collection.heap.size"):
                entry["heap"] += value
            elif name.startswith("dotnet.gc.last_collection.memory.committed_size"):
                entry["committed"] = value
    return [(stamp - started_wall, e["heap"] / 2**20, e["committed"] / 2**20 if e["committed"] else None) for stamp, e in sorted(rows.items()) if e["heap"]]


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--warmup", type=float, default=None, help="seconds before memory counts (default: until the history and stream cache are full)")
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--sample", type=float, default=5)
    parser.add_argument("--workers", type=int, default=16, help="paced senders: enough that one slow answer does not hold the rate up")
    parser.add_argument("--history-per-device", type=int, default=1000, help="the host's Fleet:Storage:MemoryHistoryPerDevice")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "soak"))
    args = parser.parse_args()
    if not 1 <= args.duration <= 600:
        sys.exit("--duration must be 1 to 600 seconds: a soak here is bounded")
    events_per_device_per_second = args.rate * 0.9 * args.batch / args.devices
    history_full_at = args.history_per_device / events_per_device_per_second
    warmup = max(args.duration / 5, history_full_at + 10, STREAM_CACHE_WINDOW + 10) if args.warmup is None else args.warmup
    if warmup >= args.duration - 30:
        sys.exit(f"the warm-up ({warmup:.0f} s) leaves under 30 s to measure: raise --duration or the load, or set --warmup")
    gcdump, counters_tool = dotnet_tool("dotnet-gcdump"), dotnet_tool("dotnet-counters")
    if not gcdump or not counters_tool:
        sys.exit("dotnet-gcdump and dotnet-counters are needed: dotnet tool install -g dotnet-gcdump; dotnet tool install -g dotnet-counters")
    run_dir = os.path.join(ROOT, ".run")
    os.makedirs(run_dir, exist_ok=True)
    counters_csv = os.path.join(run_dir, "soak-counters.csv")
    if os.path.exists(counters_csv):
        os.remove(counters_csv)

    dll = os.path.join(ROOT, "src", "OrleansFleet.Silo", "bin", "Release", "net10.0", "OrleansFleet.Silo.dll")
    if not os.path.exists(dll):
        sys.exit(f"{dll} is missing: dotnet build src/OrleansFleet.Silo -c Release first")
    key = secrets.token_urlsafe(32)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    host = subprocess.Popen(
        ["dotnet", dll, "--urls", base, "--Orleans:Endpoints:SiloPort", str(free_port()), "--Orleans:Endpoints:GatewayPort", str(free_port()),
         "--Fleet:Security:ApiKeys:soak:Hash", hashlib.sha256(key.encode()).hexdigest(), "--Fleet:Security:ApiKeys:soak:Scopes", "ingest read",
         "--Fleet:Security:RateLimit:PermitsPerSecond", "0", "--Fleet:Storage:MemoryHistoryPerDevice", str(args.history_per_device),
         "--Logging:LogLevel:Default", "Warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    counters = None
    snapshots = []
    started_at = time.time()
    try:
        deadline = time.time() + 60
        while True:
            try:
                if urllib.request.urlopen(base + "/health/ready", timeout=2).status == 200:
                    break
            except (urllib.error.URLError, OSError):
                pass
            if time.time() > deadline or host.poll() is not None:
                sys.exit("the host did not become ready within 60 s")
            time.sleep(0.2)

        lock = threading.Lock()
        window = {"latencies": [], "errors": 0, "requests": 0, "missed": 0}
        seqs = [0] * args.devices
        stop = time.time() + args.duration
        interval = args.workers / args.rate

        def worker(index):
            n = index
            next_at = time.time()
            while time.time() < stop:
                next_at += interval
                n += args.workers
                if n % 10 == 0:
                    request = urllib.request.Request(f"{base}/api/devices/soak-{n % args.devices:05d}", headers={"X-Api-Key": key})
                else:
                    now = datetime.now(timezone.utc) - timedelta(seconds=1)
                    events = []
                    with lock:
                        for i in range(args.batch):
                            device = (n * args.batch + i) % args.devices
                            seqs[device] += 1
                            events.append({"deviceId": f"soak-{device:05d}", "seq": seqs[device], "timestamp": now.isoformat(),
                                           "metrics": {"temperature": 20 + (seqs[device] % 60), "pressure": 8}})
                    request = urllib.request.Request(f"{base}/api/telemetry", data=json.dumps(events).encode(), method="POST",
                                                     headers={"Content-Type": "application/json", "X-Api-Key": key})
                started = time.perf_counter()
                ok = True
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        response.read()
                except urllib.error.HTTPError as error:
                    ok = error.code == 404  # a read of a device not yet applied
                except (urllib.error.URLError, OSError):
                    ok = False
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    window["latencies"].append(elapsed)
                    window["requests"] += 1
                    window["errors"] += 0 if ok else 1
                behind = time.time() - next_at
                if behind > interval:
                    # Steady load, not catch-up bursts: slots a slow answer missed are dropped and counted.
                    with lock:
                        window["missed"] += int(behind / interval)
                    next_at += int(behind / interval) * interval
                time.sleep(max(0.0, next_at - time.time()))

        counters = subprocess.Popen([counters_tool, "collect", "-p", str(host.pid), "--refresh-interval", str(int(args.sample)), "--format", "csv",
                                     "-o", counters_csv, "--counters", "System.Runtime"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.workers)]
        started_at = time.time()
        for thread in threads:
            thread.start()
        samples = []
        snapshot_at = [warmup, (warmup + args.duration - 15) / 2, args.duration - 15]
        while time.time() < stop:
            time.sleep(min(args.sample, max(0.0, stop - time.time())))
            t = time.time() - started_at
            snapshot = None
            if snapshot_at and t >= snapshot_at[0]:
                snapshot_at.pop(0)
                total, types = heap_snapshot(gcdump, host.pid, os.path.join(run_dir, f"soak-{len(snapshots)}.gcdump"))
                snapshot = {"t": round(t, 1), "gcHeapAfterGen2MiB": round(total / 2**20, 1), "rssMiB": round(rss_mib(host.pid), 1), "types": types}
                snapshots.append(snapshot)
                print(f"heap snapshot at {t:.0f} s: GC heap after gen2 {snapshot['gcHeapAfterGen2MiB']} MiB, RSS {snapshot['rssMiB']} MiB", flush=True)
            with lock:
                latencies, errors, requests, missed = window["latencies"], window["errors"], window["requests"], window["missed"]
                history = sum(min(seq, args.history_per_device) for seq in seqs)
                window.update(latencies=[], errors=0, requests=0, missed=0)
            samples.append({"t": round(time.time() - started_at, 1), "rssMiB": round(rss_mib(host.pid), 1), "requests": requests, "missed": missed, "errors": errors,
                            "p50Ms": round(percentile(latencies, 50), 2), "p99Ms": round(percentile(latencies, 99), 2),
                            "maxMs": round(max(latencies, default=float("nan")), 2), "historyReadings": history, "heapSnapshot": snapshot is not None})
            print(json.dumps(samples[-1]), flush=True)
        for thread in threads:
            thread.join(timeout=15)
        healthy = urllib.request.urlopen(base + "/health/ready", timeout=5).status == 200
    finally:
        if counters is not None:
            counters.terminate()
            counters.wait(timeout=30)
        host.kill()
        host.wait(timeout=30)

    # The GC series by run time, joined to each sample by the nearest point.
    series = gc_series(counters_csv, started_at)
    for sample in samples:
        near = min(series, key=lambda point: abs(point[0] - sample["t"]), default=None)
        sample["gcHeapMiB"] = round(near[1], 1) if near else None
        sample["gcCommittedMiB"] = round(near[2], 1) if near and near[2] else None

    after = [s["rssMiB"] for s in samples if s["t"] > warmup]
    third = max(1, len(after) // 3)
    first, last = (statistics.median(after[:third]), statistics.median(after[-third:])) if after else (float("nan"), float("nan"))
    growth = (last - first) / first * 100 if after else float("nan")
    heap_first, heap_last = (snapshots[0], snapshots[-1]) if len(snapshots) >= 2 else (None, None)
    heap_growth = (heap_last["gcHeapAfterGen2MiB"] - heap_first["gcHeapAfterGen2MiB"]) / heap_first["gcHeapAfterGen2MiB"] * 100 if heap_first else float("nan")
    flat = bool(after) and growth < 10 and heap_first is not None and heap_growth < 10
    by_type = []
    if heap_first:
        names = set(heap_first["types"]) | set(heap_last["types"])
        objects = lambda snap, n: snap["types"].get(n, (0, 0))[1]
        most = sorted(names, key=lambda n: objects(heap_last, n), reverse=True)[:10]
        # Large arrays are few but big (the stream cache's 1 MiB buffers and its message blocks among them).
        most += [n for n in names if "(Bytes > 1M)" in n or "(Bytes > 10M)" in n]
        changed = sorted(names, key=lambda n: abs(objects(heap_last, n) - objects(heap_first, n)), reverse=True)[:8]
        by_type = [{"type": n, "objects": [objects(snap, n) for snap in snapshots],
                    "lastMiB": round(heap_last["types"][n][0] / 2**20, 2) if n in heap_last["types"] and heap_last["types"][n][0] is not None else None}
                   for n in sorted(set(most) | set(changed), key=lambda n: -objects(heap_last, n))]
    result = {"durationSeconds": args.duration, "warmupSeconds": round(warmup, 1), "ratePerSecond": args.rate, "batch": args.batch, "devices": args.devices,
              "historyPerDevice": args.history_per_device, "historyFullAtSeconds": round(history_full_at, 1), "streamCacheWindowSeconds": STREAM_CACHE_WINDOW,
              "requests": sum(s["requests"] for s in samples), "missedSlots": sum(s["missed"] for s in samples),
              "errors": sum(s["errors"] for s in samples), "healthyAtEnd": healthy,
              "rssAfterWarmupFirstThirdMiB": first, "rssLastThirdMiB": last, "rssGrowthPercent": round(growth, 1),
              "heapSnapshots": [{k: v for k, v in snap.items() if k != "types"} for snap in snapshots],
              "gcHeapAfterGen2GrowthPercent": round(heap_growth, 1), "memoryFlat": flat, "heapByType": by_type, "samples": samples}
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out + ".json", "w") as out:
        json.dump(result, out, indent=2)
    with open(args.out + ".md", "w") as out:
        out.write(f"# Soak: {args.duration:.0f} s at {args.rate:.0f} requests/s ({args.batch} events per ingest request, 1 read in 10, {args.devices} devices)\n\n")
        out.write(f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `scripts/soak.py`; warm-up {warmup:.0f} s (history full at {history_full_at:.0f} s, "
                  f"stream cache window {STREAM_CACHE_WINDOW} s). Requests {result['requests']} (slots missed because an answer came late: {result['missedSlots']}), errors {result['errors']}, healthy at the end: {healthy}.\n\n")
        heap_text = (f"GC heap after a forced gen2 {heap_first['gcHeapAfterGen2MiB']:.1f} MiB at {heap_first['t']:.0f} s, {heap_last['gcHeapAfterGen2MiB']:.1f} MiB at "
                     f"{heap_last['t']:.0f} s ({heap_growth:+.1f} %)") if heap_first else "no heap snapshots"
        out.write(f"**Memory {'flat' if flat else 'NOT flat'} after warm-up**: median RSS {first:.1f} MiB in the first third after warm-up, {last:.1f} MiB in the "
                  f"last third ({growth:+.1f} %); {heap_text}. Flat means both grew < 10 %.\n\n")
        if by_type:
            times = " / ".join(f"{snap['t']:.0f} s" for snap in snapshots)
            heaps = " / ".join(f"{snap['gcHeapAfterGen2MiB']:.1f}" for snap in snapshots)
            rss = " / ".join(f"{snap['rssMiB']:.1f}" for snap in snapshots)
            out.write(f"Heap snapshots: GC heap after a forced gen2 {heaps} MiB at {times} (RSS then {rss} MiB). Objects by type (the most numerous, "
                      "and those whose count changed most); MiB only for fixed-size types, since gcdump reports one object's size for arrays and strings:\n\n")
            out.write(f"| type | objects at {times} | MiB at the end |\n|---|---:|---:|\n")
            for g in by_type:
                out.write(f"| `{g['type']}` | {' / '.join(f'{o:,}' for o in g['objects'])} | {'' if g['lastMiB'] is None else g['lastMiB']} |\n")
            out.write("\n")
        out.write("GC heap and committed: as of the last collection the runtime made (dotnet-counters), not forced. History readings: what the host keeps by design, "
                  "from the events sent. `*`: a heap snapshot was taken in that window (a full blocking GC, so its latency is not the service's).\n\n")
        out.write("| t (s) | RSS (MiB) | GC heap (MiB) | GC committed (MiB) | history readings | requests | missed | errors | p50 (ms) | p99 (ms) | max (ms) |\n"
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
        for s in samples:
            out.write(f"| {s['t']}{' *' if s['heapSnapshot'] else ''} | {s['rssMiB']} | {s['gcHeapMiB']} | {s['gcCommittedMiB']} | {s['historyReadings']:,} | {s['requests']} | {s['missed']} | "
                      f"{s['errors']} | {s['p50Ms']} | {s['p99Ms']} | {s['maxMs']} |\n")
    print(f"memory {'flat' if flat else 'NOT flat'} after warm-up (RSS {growth:+.1f} %, GC heap after gen2 {heap_growth:+.1f} %); wrote {args.out}.md and .json")


if __name__ == "__main__":
    main()
