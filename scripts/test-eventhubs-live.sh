#!/usr/bin/env bash
# Opt-in test against a real Azure Event Hubs namespace (Standard tier or above), through Orleans' Event Hubs provider
# (Microsoft.Orleans.Streaming.EventHubs) with the fleet's data adapter. Not part of ./scripts/test.sh: its project is
# not in OrleansFleet.sln. Needs:
#   FLEET_EVENTHUBS_NAMESPACE          namespace name (fleet-ns) or host (fleet-ns.servicebus.windows.net)
#   FLEET_EVENTHUBS_HUB                an existing event hub for telemetry
#   FLEET_EVENTHUBS_DEAD_LETTER_HUB    an existing event hub for dead letters (default: "$FLEET_EVENTHUBS_HUB-dead")
#   FLEET_EVENTHUBS_CONSUMER_GROUP     the consumer group to read with (default: $Default)
#   FLEET_TEST_TABLES                  a table account connection string for the checkpoints (Azurite will do)
#   and either FLEET_EVENTHUBS_CONNECTION_STRING (SAS) or an Azure login (az login, or a managed identity) holding
#   "Azure Event Hubs Data Sender" and "Azure Event Hubs Data Receiver" on the namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${FLEET_EVENTHUBS_NAMESPACE:?set FLEET_EVENTHUBS_NAMESPACE (see docs/event-hubs.md)}"
: "${FLEET_EVENTHUBS_HUB:?set FLEET_EVENTHUBS_HUB (see docs/event-hubs.md)}"
: "${FLEET_TEST_TABLES:?set FLEET_TEST_TABLES (see docs/event-hubs.md)}"
dotnet test tests/OrleansFleet.Streaming.EventHubs.LiveTests -c Release -nologo "$@"
