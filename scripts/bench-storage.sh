#!/usr/bin/env bash
# Measures telemetry history writes on Azurite: batched entity-group transactions vs one write per reading.
# Starts Azurite (installing it when missing), runs the benchmark in Release, writes bench/results/storage.{md,json}.
# Usage: ./scripts/bench-storage.sh [--batched N] [--single N] [--flush N] [--max-seconds S]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
trap stop_services EXIT

start_azurite
dotnet run --project bench/OrleansFleet.Bench.Storage -c Release -- --tables "$(azurite_connection_string)" --out bench/results "$@"
