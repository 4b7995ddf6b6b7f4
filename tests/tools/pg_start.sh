#!/usr/bin/env bash
# Vendored from shared/recipes/postgres/ (throwaway PostgreSQL 15 for the queue tests).
# Throwaway PostgreSQL 15 cluster on 127.0.0.1:$PGPORT (default 55432), data under /tmp.
# Idempotent: installs postgresql-15 if missing, initdb once, starts if not running, creates role+db.
# Works as root (server runs as the 'postgres' user via runuser) or as an ordinary user (runs as that user).
# Env: PGPORT (55432) PGROOT (/tmp/pg$PGPORT) APP_DB (appdb) APP_USER (app) APP_PASSWORD (app)
set -euo pipefail
PGPORT=${PGPORT:-55432}
PGROOT=${PGROOT:-/tmp/pg$PGPORT}
PGDATA=$PGROOT/data
APP_DB=${APP_DB:-appdb}; APP_USER=${APP_USER:-app}; APP_PASSWORD=${APP_PASSWORD:-app}
BIN=/usr/lib/postgresql/15/bin
cd /tmp   # runuser keeps the cwd; postgres cannot read /root

if [ ! -x "$BIN/initdb" ]; then
  [ "$(id -u)" = 0 ] || { echo "postgresql-15 is not installed (needs root: apt-get install -y postgresql-15)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql-15 >/dev/null   # policy-rc.d keeps the default cluster stopped
fi

if [ "$(id -u)" = 0 ]; then OWNER=postgres; AS=(runuser -u postgres --); else OWNER=$(id -un); AS=(); fi
mkdir -p "$PGROOT"; chmod 700 "$PGROOT"; [ "$(id -u)" = 0 ] && chown "$OWNER" "$PGROOT"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pw=$(mktemp); echo postgres > "$pw"; chmod 644 "$pw"
  "${AS[@]}" "$BIN/initdb" -D "$PGDATA" -U postgres --pwfile="$pw" -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$PGROOT/initdb.log"
  rm -f "$pw"
fi

if ! "${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  # fsync/synchronous_commit off: fast, NOT crash-safe -- fine for a throwaway test cluster
  "${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA" -l "$PGROOT/server.log" -w -t 30 start \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
fi

PSQL=("${AS[@]}" psql -X -q -h "$PGROOT" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -tA)
if [ -z "$("${PSQL[@]}" -c "select 1 from pg_roles where rolname='$APP_USER'")" ]; then
  "${PSQL[@]}" -c "create role \"$APP_USER\" login password '$APP_PASSWORD'"
fi
if [ -z "$("${PSQL[@]}" -c "select 1 from pg_database where datname='$APP_DB'")" ]; then
  "${PSQL[@]}" -c "create database \"$APP_DB\" owner \"$APP_USER\""
fi
echo "PostgreSQL $("$BIN/postgres" -V | awk '{print $3}') up: Host=127.0.0.1;Port=$PGPORT;Database=$APP_DB;Username=$APP_USER;Password=$APP_PASSWORD"
echo "psql: PGPASSWORD=$APP_PASSWORD psql -h 127.0.0.1 -p $PGPORT -U $APP_USER $APP_DB"
