#!/usr/bin/env bash
# Runs every test: builds the solution, starts the real services the tests need on 127.0.0.1
# (installing them when missing), runs the suite, stops the services, and prints the totals as
#   N passed, N failed, N skipped
# Usage: ./scripts/test.sh [extra 'dotnet test' arguments, e.g. --filter Category=Unit]
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
trap stop_services EXIT

start_redis || { echo "0 passed, 1 failed"; echo "could not start redis" >&2; exit 1; }
start_azurite || { echo "0 passed, 1 failed"; echo "could not start azurite" >&2; exit 1; }
ensure_kcat || { echo "0 passed, 1 failed"; echo "could not install kcat" >&2; exit 1; }
ensure_redocly || { echo "0 passed, 1 failed"; echo "could not install Redocly CLI" >&2; exit 1; }
ensure_chromium || { echo "0 passed, 1 failed"; echo "could not install chromium" >&2; exit 1; }
ensure_playwright || { echo "0 passed, 1 failed"; echo "could not install playwright-core" >&2; exit 1; }
export FLEET_TEST_REDIS="127.0.0.1:$FLEET_REDIS_PORT"
export FLEET_TEST_TABLES="$(azurite_connection_string)"

results="$FLEET_RUN_DIR/test-results"
rm -rf "$results"
dotnet build OrleansFleet.sln -c Release -nologo -v q || { echo "0 passed, 1 failed"; echo "build failed" >&2; exit 1; }
dotnet test OrleansFleet.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" --blame-hang-timeout 5m "$@"
status=$?

# Totals from the TRX files, one line, in the form CI reads.
count() {
  cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' \
    | awk '{ s += $1 } END { print s + 0 }'
}
passed=$(count passed)
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
skipped=$(count notExecuted)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # the run broke before reporting (crash, hang)
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
