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
export FLEET_TEST_REDIS="127.0.0.1:$FLEET_REDIS_PORT"
export FLEET_TEST_TABLES="$(azurite_connection_string)"

results="$FLEET_RUN_DIR/test-results"
rm -rf "$results"
dotnet build OrleansFleet.sln -c Release -nologo -v q || { echo "0 passed, 1 failed"; echo "build failed" >&2; exit 1; }
dotnet test OrleansFleet.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" --blame-hang-timeout 5m "$@"
status=$?

# Totals from the TRX files, one line, in the form CI reads.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout")) + int(c.get("aborted"))
    skipped += int(c.get("notExecuted"))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
if [ $status -ne 0 ]; then exit $status; fi
