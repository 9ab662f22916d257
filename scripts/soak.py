#!/usr/bin/env python3
"""Soak run (not in CI): the built host under steady API load for a bounded time, recording memory and latency.

    dotnet build src/OrleansFleet.Silo -c Release -nologo -v q
    python3 scripts/soak.py                      # 300 s, writes bench/results/soak.md and soak.json
    python3 scripts/soak.py --duration 20 --out .run/soak-smoke

Load: --rate requests per second (paced, not as fast as possible) of --batch events each over --devices devices,
with one read (GET device) in every ten requests; every request sends an API key (the host is started with its hash).
Every --sample seconds: the host's resident memory (VmRSS), and p50/p99/max latency and errors of that window. The
verdict compares the median memory of the first and last thirds after --warmup seconds: flat when it grew < 10 %.
"""
import argparse, hashlib, json, os, secrets, socket, statistics, subprocess, sys, threading, time, urllib.request, urllib.error
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--warmup", type=float, default=None, help="seconds before memory counts (default: a fifth of the run)")
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--sample", type=float, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "soak"))
    args = parser.parse_args()
    if not 1 <= args.duration <= 600:
        sys.exit("--duration must be 1 to 600 seconds: a soak here is bounded")
    warmup = args.duration / 5 if args.warmup is None else args.warmup

    dll = os.path.join(ROOT, "src", "OrleansFleet.Silo", "bin", "Release", "net10.0", "OrleansFleet.Silo.dll")
    if not os.path.exists(dll):
        sys.exit(f"{dll} is missing: dotnet build src/OrleansFleet.Silo -c Release first")
    key = secrets.token_urlsafe(32)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    host = subprocess.Popen(
        ["dotnet", dll, "--urls", base, "--Orleans:Endpoints:SiloPort", str(free_port()), "--Orleans:Endpoints:GatewayPort", str(free_port()),
         "--Fleet:Security:ApiKeys:soak:Hash", hashlib.sha256(key.encode()).hexdigest(), "--Fleet:Security:ApiKeys:soak:Scopes", "ingest read",
         "--Fleet:Security:RateLimit:PermitsPerSecond", "0", "--Logging:LogLevel:Default", "Warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
        window = {"latencies": [], "errors": 0, "requests": 0}
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
                time.sleep(max(0.0, next_at - time.time()))

        threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.workers)]
        started_at = time.time()
        for thread in threads:
            thread.start()
        samples = []
        while time.time() < stop:
            time.sleep(min(args.sample, max(0.0, stop - time.time())))
            with lock:
                latencies, errors, requests = window["latencies"], window["errors"], window["requests"]
                window.update(latencies=[], errors=0, requests=0)
            samples.append({"t": round(time.time() - started_at, 1), "rssMiB": round(rss_mib(host.pid), 1), "requests": requests, "errors": errors,
                            "p50Ms": round(percentile(latencies, 50), 2), "p99Ms": round(percentile(latencies, 99), 2),
                            "maxMs": round(max(latencies, default=float("nan")), 2)})
            print(json.dumps(samples[-1]), flush=True)
        for thread in threads:
            thread.join(timeout=15)
        healthy = urllib.request.urlopen(base + "/health/ready", timeout=5).status == 200
    finally:
        host.kill()
        host.wait(timeout=30)

    after = [s["rssMiB"] for s in samples if s["t"] > warmup]
    third = max(1, len(after) // 3)
    first, last = (statistics.median(after[:third]), statistics.median(after[-third:])) if after else (float("nan"), float("nan"))
    growth = (last - first) / first * 100 if after else float("nan")
    flat = bool(after) and growth < 10
    result = {"durationSeconds": args.duration, "warmupSeconds": warmup, "ratePerSecond": args.rate, "batch": args.batch, "devices": args.devices,
              "requests": sum(s["requests"] for s in samples), "errors": sum(s["errors"] for s in samples), "healthyAtEnd": healthy,
              "rssAfterWarmupFirstThirdMiB": first, "rssLastThirdMiB": last, "rssGrowthPercent": round(growth, 1), "memoryFlat": flat, "samples": samples}
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out + ".json", "w") as out:
        json.dump(result, out, indent=2)
    with open(args.out + ".md", "w") as out:
        out.write(f"# Soak: {args.duration:.0f} s at {args.rate:.0f} requests/s ({args.batch} events per ingest request, 1 read in 10, {args.devices} devices)\n\n")
        out.write(f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `scripts/soak.py`; warm-up {warmup:.0f} s. Requests {result['requests']}, errors {result['errors']}, healthy at the end: {healthy}.\n\n")
        out.write(f"**Memory {'flat' if flat else 'NOT flat'} after warm-up**: median RSS {first:.1f} MiB in the first third after warm-up, {last:.1f} MiB in the last third ({growth:+.1f} %; flat means < 10 %).\n\n")
        out.write("| t (s) | RSS (MiB) | requests | errors | p50 (ms) | p99 (ms) | max (ms) |\n|---:|---:|---:|---:|---:|---:|---:|\n")
        for s in samples:
            out.write(f"| {s['t']} | {s['rssMiB']} | {s['requests']} | {s['errors']} | {s['p50Ms']} | {s['p99Ms']} | {s['maxMs']} |\n")
    print(f"memory {'flat' if flat else 'NOT flat'} after warm-up ({growth:+.1f} %); wrote {args.out}.md and .json")


if __name__ == "__main__":
    main()
