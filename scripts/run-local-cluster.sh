#!/usr/bin/env bash
# Runs OrleansFleet as a local cluster on 127.0.0.1, in the background: Azurite (membership, reminders, grain state,
# telemetry history: Azure Storage tables, as in Azure), Redis when the Redis stream is chosen, N silos, and the API
# process (src/OrleansFleet.Api, an Orleans client of the silos) on port 5080. Everything it starts, and only that, is
# stopped by `stop`.
#
# Usage: ./scripts/run-local-cluster.sh start [silos=2]   build, start, wait until every silo and the API are ready
#        ./scripts/run-local-cluster.sh status            what runs, and whether each is ready (exit 1 if not)
#        ./scripts/run-local-cluster.sh stop              stop the API and the silos, then Redis and Azurite
#
# Logs, pids and data live in .run/local-cluster/ (FLEET_CLUSTER_DIR): api.log, silo-N.log, azurite.log, redis.log,
# and api-key: the cluster modes refuse callers without a key, so `start` makes one (admin scope) unless FLEET_API_KEY
# is set; send it as X-Api-Key. Azurite and Redis keep their data there across stop/start (delete the folder for a
# fresh cluster).
# Ports: FLEET_API_PORT (5080) for the API process; silo N serves HTTP (health, dashboard, the API too) on
# FLEET_SILO_HTTP_PORT (5081) + N, Orleans on FLEET_SILO_PORT (11111) + N and FLEET_GATEWAY_PORT (30000) + N;
# FLEET_REDIS_PORT (6380), FLEET_AZURITE_TABLE_PORT (10012). FLEET_STREAM=Redis (default) or Memory (silos only:
# the memory stream lives inside the silos, so there is no API process; call a silo's port).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

dir=${FLEET_CLUSTER_DIR:-$FLEET_RUN_DIR/local-cluster}
api_port=${FLEET_API_PORT:-5080}
silo_http_port=${FLEET_SILO_HTTP_PORT:-5081}
silo_port=${FLEET_SILO_PORT:-11111}
gateway_port=${FLEET_GATEWAY_PORT:-30000}
stream=${FLEET_STREAM:-Redis}
mkdir -p "$dir"

alive() { [ -f "$dir/$1.pid" ] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }
ready() { curl -fsS -m 2 "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1; }
silo_names() { for f in "$dir"/silo-*.pid; do [ -e "$f" ] && basename "$f" .pid; done; }

# The API key every process accepts (by its SHA-256, as the hosts' configuration wants it).
api_key() {
  if [ -n "${FLEET_API_KEY:-}" ]; then printf '%s' "$FLEET_API_KEY"; return; fi
  if [ ! -s "$dir/api-key" ]; then (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$dir/api-key"); fi
  tr -d '\n' < "$dir/api-key"
}

# Starts "$@" detached from this shell (its own session), so it outlives the script; records its pid.
spawn() {
  local name=$1; shift
  setsid "$@" > "$dir/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/$name.pid"
}

start_cluster_redis() {
  ensure_redis
  if alive redis; then log "redis already running (pid $(cat "$dir/redis.pid"))"; return; fi
  if redis_ping 2>/dev/null; then log "something else answers on 127.0.0.1:$FLEET_REDIS_PORT; set FLEET_REDIS_PORT"; exit 1; fi
  # An append-only file synced on every write: a 202 stays durable across a Redis crash.
  mkdir -p "$dir/redis-data"
  spawn redis redis-server --bind 127.0.0.1 --port "$FLEET_REDIS_PORT" --appendonly yes --appendfsync always \
    --dir "$dir/redis-data"
  wait_for 20 redis_ping || { log "redis did not start; see $dir/redis.log"; exit 1; }
  log "redis on 127.0.0.1:$FLEET_REDIS_PORT"
}

start_cluster_azurite() {
  ensure_azurite
  if alive azurite; then log "azurite already running (pid $(cat "$dir/azurite.pid"))"; return; fi
  if azurite_up; then log "something else answers on 127.0.0.1:$FLEET_AZURITE_TABLE_PORT; set FLEET_AZURITE_TABLE_PORT"; exit 1; fi
  mkdir -p "$dir/azurite-data"
  spawn azurite "$FLEET_ROOT/.tools/azurite/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 \
    --tablePort "$FLEET_AZURITE_TABLE_PORT" --location "$dir/azurite-data" --disableTelemetry --skipApiVersionCheck
  wait_for 30 azurite_up || { log "azurite did not start; see $dir/azurite.log"; exit 1; }
  log "azurite tables on 127.0.0.1:$FLEET_AZURITE_TABLE_PORT"
}

start() {
  local silos=${1:-2}
  start_cluster_azurite
  local hash
  hash=$(api_key | sha256sum | cut -d' ' -f1)
  local settings=(--Fleet:Mode=LocalCluster --ConnectionStrings:Tables="$(azurite_connection_string)"
    --Fleet:Streaming:Provider="$stream"
    --Fleet:Security:ApiKeys:local:Hash="$hash" --Fleet:Security:ApiKeys:local:Scopes=admin)
  if [ "$stream" = Redis ]; then
    start_cluster_redis
    settings+=(--ConnectionStrings:Redis="127.0.0.1:$FLEET_REDIS_PORT")
  fi

  dotnet build src/OrleansFleet.Silo -c Release -nologo -v q
  [ "$stream" = Memory ] || dotnet build src/OrleansFleet.Api -c Release -nologo -v q
  local i
  for i in $(seq 0 $((silos - 1))); do
    if alive "silo-$i"; then log "silo $i already running"; continue; fi
    spawn "silo-$i" dotnet src/OrleansFleet.Silo/bin/Release/net10.0/OrleansFleet.Silo.dll \
      --contentRoot "$PWD/src/OrleansFleet.Silo" --urls "http://127.0.0.1:$((silo_http_port + i))" \
      --Orleans:Endpoints:SiloPort=$((silo_port + i)) --Orleans:Endpoints:GatewayPort=$((gateway_port + i)) \
      "${settings[@]}"
  done
  for i in $(seq 0 $((silos - 1))); do
    if ! wait_for 90 ready $((silo_http_port + i)); then
      log "silo $i was not ready within 90 s; see $dir/silo-$i.log"; exit 1
    fi
    log "silo $i ready: http://127.0.0.1:$((silo_http_port + i)) (dashboard on /dashboard), log $dir/silo-$i.log"
  done

  if [ "$stream" = Memory ]; then log "memory stream: no API process; call a silo's port"; return; fi
  if alive api; then log "api already running"; else
    spawn api dotnet src/OrleansFleet.Api/bin/Release/net10.0/OrleansFleet.Api.dll \
      --contentRoot "$PWD/src/OrleansFleet.Api" --urls "http://127.0.0.1:$api_port" "${settings[@]}"
  fi
  wait_for 90 ready "$api_port" || { log "the API was not ready within 90 s; see $dir/api.log"; exit 1; }
  log "API ready: http://127.0.0.1:$api_port, log $dir/api.log; key in $dir/api-key (header X-Api-Key)"
}

# Stops one recorded process: SIGTERM (SIGINT for Azurite, the signal on which it saves its tables), then SIGKILL.
stop_one() {
  local name=$1 signal=${2:-TERM} pid
  alive "$name" || { rm -f "$dir/$name.pid"; return 0; }
  pid=$(cat "$dir/$name.pid")
  kill "-$signal" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/$name.pid"
  log "stopped $name (pid $pid)"
}

stop() {
  local name
  stop_one api
  for name in $(silo_names); do stop_one "$name"; done
  stop_one redis
  stop_one azurite INT
}

status() {
  local ok=0 name i port
  for name in azurite redis $(silo_names) api; do
    if alive "$name"; then
      case $name in
        silo-*|api)
          if [ "$name" = api ]; then port=$api_port; else i=${name#silo-}; port=$((silo_http_port + i)); fi
          if ready "$port"; then echo "$name: ready (pid $(cat "$dir/$name.pid"), http://127.0.0.1:$port)"
          else echo "$name: running, not ready (pid $(cat "$dir/$name.pid")); see $dir/$name.log"; ok=1; fi ;;
        *) echo "$name: running (pid $(cat "$dir/$name.pid"))" ;;
      esac
    elif [ -f "$dir/$name.pid" ]; then
      echo "$name: exited; see $dir/$name.log"; ok=1
    fi
  done
  [ -n "$(silo_names)" ] || { echo "no silo started; run: $0 start"; ok=1; }
  return $ok
}

case ${1:-} in
  start) start "${2:-2}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [silos=2] | status | stop" >&2; exit 2 ;;
esac
