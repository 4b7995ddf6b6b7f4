#!/usr/bin/env bash
# bench/netbox-read: nautilus wp status vs ansible-inventory with netbox.netbox.nb_inventory, same fake NetBox, same run.
# Usage: bench/netbox-read/run.sh [total-vms=30000] [wp-vms=10000] [latency-ms=10]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
need=()
command -v ansible-inventory >/dev/null || need+=(ansible)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi
dotnet build "$ROOT/src/Nautilus.Cli" -c Release -nologo -v quiet >/dev/null
dotnet build "$ROOT/bench/netbox-read" -c Release -nologo -v quiet >/dev/null
dotnet "$ROOT/bench/netbox-read/bin/Release/net10.0/NetBoxReadBench.dll" "$ROOT/src/Nautilus.Cli/bin/Release/net10.0/nautilus.dll" "$@"
