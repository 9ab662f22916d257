#!/usr/bin/env bash
# Runs OrleansFleet as a local cluster: Redis (membership, reminders, telemetry stream) and Azurite (grain state,
# telemetry history) on 127.0.0.1, then N silos, each serving the API on its own port (5080, 5081, ...).
# Usage: ./scripts/run-local-cluster.sh [silos=2]     Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
silos=${1:-2}
source scripts/services.sh
trap 'kill $(jobs -p) 2>/dev/null; stop_services' EXIT

# Redis with an append-only file synced on every write: a 202 is then durable across a Redis crash.
ensure_redis
if ! redis_ping; then
  mkdir -p "$FLEET_RUN_DIR/redis-data"
  redis-server --bind 127.0.0.1 --port "$FLEET_REDIS_PORT" --appendonly yes --appendfsync always \
    --dir "$FLEET_RUN_DIR/redis-data" --logfile "$FLEET_RUN_DIR/redis.log" &
  _fleet_pids+=($!)
  wait_for 20 redis_ping || { log "redis did not start; see $FLEET_RUN_DIR/redis.log"; exit 1; }
fi
start_azurite

dotnet build src/OrleansFleet.Silo -c Release -nologo -v q
for i in $(seq 0 $((silos - 1))); do
  dotnet src/OrleansFleet.Silo/bin/Release/net10.0/OrleansFleet.Silo.dll \
    --contentRoot "$PWD/src/OrleansFleet.Silo" \
    --urls "http://127.0.0.1:$((5080 + i))" \
    --Fleet:Cluster:Provider=Redis --Fleet:Cluster:AdvertisedAddress=127.0.0.1 \
    --Fleet:Cluster:SiloPort=$((11111 + i)) --Fleet:Cluster:GatewayPort=$((30000 + i)) \
    --ConnectionStrings:Redis="127.0.0.1:$FLEET_REDIS_PORT" \
    --Fleet:Streaming:Provider=Redis \
    --Fleet:Storage:Provider=AzureTables --ConnectionStrings:Tables="$(azurite_connection_string)" \
    > "$FLEET_RUN_DIR/silo-$i.log" 2>&1 &
  log "silo $i: API on http://127.0.0.1:$((5080 + i)), log in .run/silo-$i.log"
done
log "Ctrl-C stops the cluster, Redis and Azurite"
wait
