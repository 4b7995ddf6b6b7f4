#!/usr/bin/env bash
# Vendored from shared/recipes/postgres/ (throwaway PostgreSQL 15 for the queue tests).
# Stop the throwaway cluster from pg_start.sh. --purge also deletes its data dir.
set -euo pipefail
PGPORT=${PGPORT:-55432}; PGROOT=${PGROOT:-/tmp/pg$PGPORT}; BIN=/usr/lib/postgresql/15/bin
cd /tmp
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); else AS=(); fi
if [ -s "$PGROOT/data/PG_VERSION" ] && "${AS[@]}" "$BIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
  "${AS[@]}" "$BIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null && echo "stopped (port $PGPORT)"
else
  echo "not running (port $PGPORT)"
fi
[ "${1:-}" = --purge ] && rm -rf "$PGROOT" && echo "removed $PGROOT"
exit 0
