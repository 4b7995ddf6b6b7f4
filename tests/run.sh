#!/usr/bin/env bash
# The whole test suite: installs what the tests need when missing, starts a throwaway PostgreSQL,
# builds, builds the container images, runs every test project and ends with the line "N passed, N failed".
#   tests/run.sh [dotnet test arguments…]          everything
#   tests/run.sh --fast [dotnet test arguments…]   the quick inner loop: leaves out the tests marked [RealTool]
#                                                   (HCL parser, ansible, CI schema, gitlab-ci-local, PostgreSQL,
#                                                   published processes) and the container image tests, so it
#                                                   needs neither setup, nor PostgreSQL, nor the image build
# PGPORT: the PostgreSQL port; unset, a free port is taken and its throwaway cluster is removed afterwards.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/.test-results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"

fast=0
if [ "${1:-}" = --fast ]; then fast=1; shift; fi
filter=()
if [ "$fast" = 1 ]; then
  # A --filter given after --fast is combined with it: both must hold.
  user_filter=""; rest=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --filter) user_filter="$2"; shift 2 ;;
      *) rest+=("$1"); shift ;;
    esac
  done
  set -- "${rest[@]+"${rest[@]}"}"
  filter=(--filter "${user_filter:+($user_filter)&}Category!=RealTool&Category!=Images")
else
  env_lines=$("$ROOT/tests/tools/setup.sh") || { echo "setup failed: the tests need the tools above"; echo "0 passed, 1 failed"; exit 1; }
  eval "$env_lines"

  # A free port unless one is given, so suites run side by side (several worktrees, CI jobs on one host) never
  # share a cluster; the port is released by the probe and taken by PostgreSQL at once.
  purge=""
  if [ -z "${PGPORT:-}" ]; then
    PGPORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    purge=--purge
  fi
  export PGPORT APP_DB=nautilus APP_USER=nautilus APP_PASSWORD=nautilus
  if "$ROOT/tests/tools/pg_start.sh" >"$RESULTS/postgres.log" 2>&1; then
    export NAUTILUS_TEST_PG="Host=127.0.0.1;Port=$PGPORT;Database=nautilus;Username=nautilus;Password=nautilus"
  else
    echo "PostgreSQL did not start on port $PGPORT (see $RESULTS/postgres.log); tests that need it will fail with that reason." >&2
  fi
  trap '"$ROOT/tests/tools/pg_stop.sh" $purge >/dev/null 2>&1 || true' EXIT
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! dotnet build "$ROOT/Nautilus.GitLab.sln" -c Release -nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# Step "container images": both Dockerfile targets built with buildah (tests/images/build.sh), which
# tests/Nautilus.Images.Tests then run. Tagged per checkout, so concurrent runs from several checkouts on one
# machine each test their own images. A failed build fails those tests with the end of its log.
export NAUTILUS_TEST_IMAGES_LOG="$RESULTS/images.log"
images_start=$SECONDS
if [ "$fast" = 1 ]; then
  echo "step container images: skipped (--fast)"
else
  echo "step container images: building the cli and webhooks targets with buildah (log: $NAUTILUS_TEST_IMAGES_LOG)"
  if image_env=$(NAUTILUS_IMAGE_TAG="test-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)" "$ROOT/tests/images/build.sh" 2>"$NAUTILUS_TEST_IMAGES_LOG"); then
    eval "$image_env"
    echo "step container images: built in $((SECONDS - images_start)) s; $(grep -o 'localhost/[^ ]* built in .*' "$NAUTILUS_TEST_IMAGES_LOG" | paste -sd ';' -)"
  else
    echo "step container images: build failed after $((SECONDS - images_start)) s; the image tests will fail. End of the log:"
    tail -n 15 "$NAUTILUS_TEST_IMAGES_LOG" | sed 's/^/  /'
  fi
fi

# A test stuck for 5 minutes aborts its host, which names the tests in flight (Sequence_*.xml) and counts as
# a failure, instead of holding CI until its limit.
dotnet test "$ROOT/Nautilus.GitLab.sln" -c Release --no-build -nologo -v quiet \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$RESULTS" \
  --blame-hang --blame-hang-timeout 5m --blame-hang-dump-type none "${filter[@]+"${filter[@]}"}" "$@"
status=$?

read -r passed failed < <(/usr/bin/python3 - "$RESULTS" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
p = f = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(path).getroot().find(".//{*}Counters")
    if c is not None:
        p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
print(p, f)
PY
)
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi   # a crashed test host counts
echo "${passed:-0} passed, ${failed:-0} failed"
[ "${failed:-0}" -eq 0 ]
