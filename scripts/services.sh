#!/usr/bin/env bash
# Starts and stops the real services the tests and the local cluster use, on 127.0.0.1 only.
# Source it, then call: ensure_redis / start_redis, ensure_azurite / start_azurite, stop_services.
# Installs what is missing: redis-server and kcat from Debian (apt), Azurite and Redocly CLI from npm into .tools/.

FLEET_ROOT=${FLEET_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
FLEET_RUN_DIR=${FLEET_RUN_DIR:-$FLEET_ROOT/.run}
FLEET_REDIS_PORT=${FLEET_REDIS_PORT:-6380}
FLEET_AZURITE_TABLE_PORT=${FLEET_AZURITE_TABLE_PORT:-10012}
# Azurite's well-known development account (public, documented by Microsoft; not a secret).
FLEET_AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
mkdir -p "$FLEET_RUN_DIR"
_fleet_pids=()
_apt_updated=0

log() { printf '[services] %s\n' "$*" >&2; }

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    log "need '$*' but not root: install it with: sudo apt-get install -y $*"; return 1
  fi
  if [ "$_apt_updated" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
    _apt_updated=1
  fi
  log "installing $* (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Waits until "$@" succeeds, for at most $1 seconds.
wait_for() {
  local seconds=$1; shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then return 1; fi
    sleep 0.2
  done
}

ensure_redis() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server || return 1
  command -v redis-cli >/dev/null 2>&1 || apt_install redis-tools || return 1
}

redis_ping() { redis-cli -h 127.0.0.1 -p "$FLEET_REDIS_PORT" ping | grep -q PONG; }

# Starts a throwaway Redis on 127.0.0.1:$FLEET_REDIS_PORT (no persistence) unless one already answers there.
start_redis() {
  ensure_redis || return 1
  if redis_ping; then log "redis already on 127.0.0.1:$FLEET_REDIS_PORT"; return 0; fi
  redis-server --bind 127.0.0.1 --port "$FLEET_REDIS_PORT" --save '' --appendonly no \
    --protected-mode yes --daemonize no --logfile "$FLEET_RUN_DIR/redis.log" &
  _fleet_pids+=($!)
  echo $! > "$FLEET_RUN_DIR/redis.pid"
  wait_for 20 redis_ping || { log "redis did not start; see $FLEET_RUN_DIR/redis.log"; return 1; }
  log "redis on 127.0.0.1:$FLEET_REDIS_PORT"
}

# kcat (Debian) is the tests' foreign Kafka producer and hosts the mock cluster of scripts/run-kafka-mock.sh.
ensure_kcat() { command -v kcat >/dev/null 2>&1 || apt_install kcat; }

ensure_azurite() {
  if [ ! -x "$FLEET_ROOT/.tools/azurite/node_modules/.bin/azurite-table" ]; then
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm || return 1
    log "installing azurite@3 (npm) into .tools/azurite"
    mkdir -p "$FLEET_ROOT/.tools/azurite"
    npm install --silent --no-audit --no-fund --prefix "$FLEET_ROOT/.tools/azurite" azurite@3 >/dev/null || return 1
  fi
}

# Redocly CLI lints the OpenAPI document in the tests (OpenApiDocumentTests); npm, into .tools/redocly.
ensure_redocly() {
  if [ ! -x "$FLEET_ROOT/.tools/redocly/node_modules/.bin/redocly" ]; then
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm || return 1
    log "installing @redocly/cli@2.77.0 (npm) into .tools/redocly"
    mkdir -p "$FLEET_ROOT/.tools/redocly"
    npm install --silent --no-audit --no-fund --prefix "$FLEET_ROOT/.tools/redocly" @redocly/cli@2.77.0 >/dev/null || return 1
  fi
}

azurite_up() { (exec 3<>"/dev/tcp/127.0.0.1/$FLEET_AZURITE_TABLE_PORT") 2>/dev/null; }

# Starts Azurite's table service on 127.0.0.1:$FLEET_AZURITE_TABLE_PORT, in memory, unless one already answers there.
start_azurite() {
  ensure_azurite || return 1
  if azurite_up; then log "azurite already on 127.0.0.1:$FLEET_AZURITE_TABLE_PORT"; return 0; fi
  "$FLEET_ROOT/.tools/azurite/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$FLEET_AZURITE_TABLE_PORT" \
    --inMemoryPersistence --disableTelemetry --skipApiVersionCheck --silent \
    > "$FLEET_RUN_DIR/azurite.log" 2>&1 &
  _fleet_pids+=($!)
  echo $! > "$FLEET_RUN_DIR/azurite.pid"
  wait_for 30 azurite_up || { log "azurite did not start; see $FLEET_RUN_DIR/azurite.log"; return 1; }
  log "azurite tables on 127.0.0.1:$FLEET_AZURITE_TABLE_PORT"
}

azurite_connection_string() {
  printf 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=%s;TableEndpoint=http://127.0.0.1:%s/devstoreaccount1;' \
    "$FLEET_AZURITE_KEY" "$FLEET_AZURITE_TABLE_PORT"
}

# Stops only what this shell started.
stop_services() {
  local pid
  for pid in "${_fleet_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${_fleet_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  _fleet_pids=()
}

# Headless Chromium for the page tests (Debian's build; Playwright drives it through executablePath).
ensure_chromium() { command -v chromium >/dev/null 2>&1 || apt_install chromium; }

# playwright-core (the library only, no bundled browsers) into .tools/playwright; the page tests find it through
# FLEET_PLAYWRIGHT_MODULES.
ensure_playwright() {
  if [ ! -f "$FLEET_ROOT/.tools/playwright/node_modules/playwright-core/package.json" ]; then
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm || return 1
    log "installing playwright-core@1 (npm) into .tools/playwright"
    mkdir -p "$FLEET_ROOT/.tools/playwright"
    npm install --silent --no-audit --no-fund --prefix "$FLEET_ROOT/.tools/playwright" playwright-core@1 >/dev/null || return 1
  fi
  export FLEET_PLAYWRIGHT_MODULES="$FLEET_ROOT/.tools/playwright/node_modules"
}
