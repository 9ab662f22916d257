#!/usr/bin/env bash
# Starts a throwaway Kafka cluster for running the host with the Kafka provider by hand: librdkafka's mock brokers
# (3 brokers on free 127.0.0.1 ports, in memory), hosted by Debian's kcat. It prints the bootstrap servers and the
# command to start the host, then stays in the foreground until Ctrl-C (which stops kcat and the cluster with it).
# The topics fleet-telemetry and fleet-telemetry-dead are created on first use, with the mock's default 4 partitions.
# Usage: ./scripts/run-kafka-mock.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
ensure_kcat

log_file="$FLEET_RUN_DIR/kafka-mock.log"
: > "$log_file"
# kcat consumes fleet-telemetry (and so creates it); the bootstrap address given is ignored by the mock.
kcat -b 127.0.0.1:1 -X test.mock.num.brokers=3 -X debug=mock -C -q -t fleet-telemetry >/dev/null 2>"$log_file" &
kcat_pid=$!
trap 'kill "$kcat_pid" 2>/dev/null || true; wait "$kcat_pid" 2>/dev/null || true' EXIT INT TERM

bootstrap=""
for _ in $(seq 1 100); do
  bootstrap=$(grep -o 'bootstrap.servers=[^ ]*' "$log_file" | head -1 | cut -d= -f2 || true)
  [ -n "$bootstrap" ] && break
  kill -0 "$kcat_pid" 2>/dev/null || { cat "$log_file" >&2; exit 1; }
  sleep 0.1
done
[ -n "$bootstrap" ] || { echo "kcat reported no mock cluster within 10 s; see $log_file" >&2; exit 1; }
echo "$bootstrap" > "$FLEET_RUN_DIR/kafka-mock.bootstrap"

cat <<MSG
Kafka mock cluster (kcat pid $kcat_pid): $bootstrap
Start the host in another terminal:
  dotnet run --project src/OrleansFleet.Silo -- --Fleet:Streaming:Provider=Kafka --Fleet:Streaming:Kafka:BootstrapServers=$bootstrap
Write a record as a foreign producer:
  echo '{"deviceId":"chiller-7","seq":1,"timestamp":"2026-11-22T10:00:00Z","metrics":{"temperature":71.5}}' | kcat -P -b $bootstrap -t fleet-telemetry -k chiller-7
Ctrl-C stops the cluster (its data is in memory only).
MSG
wait "$kcat_pid"
