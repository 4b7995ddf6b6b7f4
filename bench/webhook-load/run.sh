#!/usr/bin/env bash
# bench/webhook-load: how fast nautilus-webhooks acknowledges GitLab deliveries with durable commits (SQLite,
# WAL, synchronous=FULL, group commit), against a bare ASP.NET Core endpoint that answers 202 without
# checking, parsing or storing anything (the ceiling), in the same run; then a merge that flips 5,000 NetBox
# objects through the real service, against one PATCH per object.
# Usage: bench/webhook-load/run.sh [seconds=15] [connections=32]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/webhook-load"
SECONDS_PER_RUN="${1:-15}"
CONNECTIONS="${2:-32}"
RATE_CONNECTIONS=50

if ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "wrk is missing: apt-get install -y wrk (Debian)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/webhook-load.XXXXXX")"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

echo "building (Release)…" >&2
dotnet publish "$ROOT/src/Nautilus.Webhooks" -c Release -o "$WORK/service" -nologo -v quiet >/dev/null
dotnet publish "$HERE/Bare" -c Release -o "$WORK/bare" -nologo -v quiet >/dev/null
dotnet build "$HERE/MergeBench" -c Release -o "$WORK/merge" -nologo -v quiet >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 1 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" != 000 ] && return 0; sleep 0.1; done; echo "not ready: $1" >&2; exit 1; }

SERVICE_PORT=$(free_port)
# The worker is off: this measures acknowledgement (token check, parse, classify, durable commit), not NetBox.
NAUTILUS_NETBOX_URL=http://127.0.0.1:9 NAUTILUS_WEBHOOK_SECRET=bench-secret NAUTILUS_STORE="$WORK/queue.db" \
  dotnet "$WORK/service/nautilus-webhooks.dll" --urls "http://127.0.0.1:$SERVICE_PORT" \
  --Nautilus:Webhooks:Worker:Enabled false --Nautilus:Webhooks:LogLevel Error >"$WORK/service.log" 2>&1 &
PIDS+=($!)
# For comparison only: the same service with synchronous=NORMAL (durable across kill -9, not power loss).
NORMAL_PORT=$(free_port)
NAUTILUS_NETBOX_URL=http://127.0.0.1:9 NAUTILUS_WEBHOOK_SECRET=bench-secret NAUTILUS_STORE="$WORK/queue-normal.db" \
  dotnet "$WORK/service/nautilus-webhooks.dll" --urls "http://127.0.0.1:$NORMAL_PORT" \
  --Nautilus:Webhooks:Worker:Enabled false --Nautilus:Webhooks:LogLevel Error --Nautilus:Webhooks:SqliteSynchronous NORMAL >"$WORK/normal.log" 2>&1 &
PIDS+=($!)
BARE_PORT=$(free_port)
dotnet "$WORK/bare/bare-202.dll" --urls "http://127.0.0.1:$BARE_PORT" >"$WORK/bare.log" 2>&1 &
PIDS+=($!)
wait_ready "http://127.0.0.1:$SERVICE_PORT/readyz"
wait_ready "http://127.0.0.1:$NORMAL_PORT/readyz"
wait_ready "http://127.0.0.1:$BARE_PORT/webhooks/gitlab"

run() { # name url connections rate salt
  local out
  out=$(SALT="$5" RATE="$4" CONNECTIONS="$3" GITLAB_TOKEN=bench-secret wrk -t2 -c"$3" -d"${SECONDS_PER_RUN}s" --latency -s "$HERE/deliveries.lua" "$2/webhooks/gitlab" | grep '^RESULT')
  echo "$1 $out"
}

# Warm both (JIT, connection pools), then measure.
SALT=9 RATE=0 CONNECTIONS=8 wrk -t2 -c8 -d3s -s "$HERE/deliveries.lua" "http://127.0.0.1:$SERVICE_PORT/webhooks/gitlab" >/dev/null
SALT=9 RATE=0 CONNECTIONS=8 wrk -t2 -c8 -d3s -s "$HERE/deliveries.lua" "http://127.0.0.1:$BARE_PORT/webhooks/gitlab" >/dev/null
SALT=9 RATE=0 CONNECTIONS=8 wrk -t2 -c8 -d3s -s "$HERE/deliveries.lua" "http://127.0.0.1:$NORMAL_PORT/webhooks/gitlab" >/dev/null

S_MAX=$(run service_max "http://127.0.0.1:$SERVICE_PORT" "$CONNECTIONS" 0 1)
B_MAX=$(run bare_max "http://127.0.0.1:$BARE_PORT" "$CONNECTIONS" 0 1)
S_500=$(run service_500rps "http://127.0.0.1:$SERVICE_PORT" "$RATE_CONNECTIONS" 500 2)
B_500=$(run bare_500rps "http://127.0.0.1:$BARE_PORT" "$RATE_CONNECTIONS" 500 2)
N_500=$(run service_normal_500rps "http://127.0.0.1:$NORMAL_PORT" "$RATE_CONNECTIONS" 500 3)
printf '%s\n' "$S_MAX" "$B_MAX" "$S_500" "$B_500" "$N_500"

STORED=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from nautilus_deliveries").fetchone()[0])' "$WORK/queue.db")
echo "stored deliveries in SQLite after the runs (warm-up included): $STORED (every 202 is a committed row)"

field() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" <<<"$1"; }
python3 - "$(field "$S_MAX" rps)" "$(field "$B_MAX" rps)" "$(field "$S_500" p50_ms)" "$(field "$S_500" p99_ms)" "$(field "$B_500" p50_ms)" "$(field "$B_500" p99_ms)" "$(field "$S_500" rps)" <<'PY'
import sys
s, b, sp50, sp99, bp50, bp99, srate = map(float, sys.argv[1:])
print(f"sustained durable deliveries/s: {s:.0f} (bare 202 ceiling {b:.0f}; ratio {s / b:.2f}) target >= 2000")
print(f"at ~{srate:.0f} req/s: p50 {sp50:.2f} ms, p99 {sp99:.2f} ms (bare: p50 {bp50:.2f} ms, p99 {bp99:.2f} ms; p99 ratio {sp99 / bp99:.2f}) target p99 <= 20 ms")
PY

# The floor under a durable acknowledgement: one write + fsync on the store's file system, measured now.
python3 - "$WORK" <<'PY'
import os, sys, time
path = os.path.join(sys.argv[1], "fsync.probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
samples = []
for i in range(300):
    os.write(fd, b"x" * 4096)
    t = time.perf_counter(); os.fsync(fd); samples.append((time.perf_counter() - t) * 1000)
    time.sleep(0.002)
os.close(fd); samples.sort()
print(f"fsync on this file system: p50 {samples[len(samples)//2]:.2f} ms, p99 {samples[int(len(samples)*0.99)]:.2f} ms (300 samples)")
PY

echo "merge of 5,000 objects (NetBoxFake, 5 ms per request)…" >&2
dotnet "$WORK/merge/MergeBench.dll" "$WORK/service/nautilus-webhooks.dll" 5000 5
echo "machine: $(nproc) cores, $(uname -m), load average $(cut -d' ' -f1-3 /proc/loadavg), store on $(df -T "$WORK" | awk 'NR==2{print $2}')"
