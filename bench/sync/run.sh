#!/usr/bin/env bash
# bench/sync: NetBox sync of one wave (iac deploy) against one request per object, same fake NetBox, same run.
# Usage: bench/sync/run.sh [objects=5000] [latency-ms=10]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
dotnet build "$ROOT/bench/sync" -c Release -nologo -v quiet >/dev/null
dotnet "$ROOT/bench/sync/bin/Release/net10.0/SyncBench.dll" "$@"
