#!/usr/bin/env bash
# bench/generate-check: `nautilus iac generate --check` against `nautilus iac generate` on the same 10,000-VM input
# (bench/generate/export.py), vsphere provider. Four measurements, RUNS times each, interleaved so that machine load
# hits them alike:
#   generate       into a fresh folder (renders and writes every file)
#   regenerate     onto its own output (renders, compares, writes nothing: the "Up to date" path)
#   check-clean    --check on the committed output, identical (exit 0)
#   check-stale    --check after one VM's memory changed in the export (exit 8, files and fields listed)
# Wall time, CPU time (user+sys) and peak RSS from /usr/bin/time. CPU time is the fairer figure on a shared machine.
# Usage: bench/generate-check/run.sh [vms=10000] [waves=50] [runs=3]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VMS="${1:-10000}"
WAVES="${2:-50}"
RUNS="${3:-3}"
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install -y time" >&2; exit 1; }
dotnet build "$ROOT/src/Nautilus.Cli" -c Release -nologo -v quiet >/dev/null
NAUTILUS="$ROOT/src/Nautilus.Cli/bin/Release/net10.0/nautilus.dll"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 "$ROOT/bench/generate/export.py" "$WORK/export.json" "$VMS" "$WAVES"
# The same NetBox one edit later: the first VM's memory doubled.
python3 - "$WORK/export.json" "$WORK/edited.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["virtual_machines"][0]["memory"] *= 2
json.dump(doc, open(sys.argv[2], "w"))
PY

printf 'machine: %s, %s cores, load average %s\n' "$(uname -m)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'input: %d VMs in %d waves, export file %.1f MB; %d runs of each, interleaved\n' \
  "$VMS" "$WAVES" "$(echo "$(stat -c %s "$WORK/export.json") / 1000000" | bc -l)" "$RUNS"

# run NAME EXPECTED-EXIT ARGS...: appends "wall rss user sys" to $WORK/NAME.times
run() {
  local name="$1" expected="$2"; shift 2
  set +e
  /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" dotnet "$NAUTILUS" iac generate --wp bench --provider vsphere "$@" >"$WORK/out" 2>"$WORK/err"
  local code=$?
  set -e
  if [ "$code" -ne "$expected" ]; then
    echo "$name exited $code, expected $expected:" >&2; cat "$WORK/err" "$WORK/out" >&2; exit 1
  fi
  # GNU time puts "Command exited with non-zero status N" before the figures when the exit is not 0.
  tail -n 1 "$WORK/time" >> "$WORK/$name.times"
}

dotnet "$NAUTILUS" iac generate --wp bench --provider vsphere --source "$WORK/export.json" --out "$WORK/committed" >/dev/null 2>&1
for i in $(seq "$RUNS"); do
  run generate 0 --source "$WORK/export.json" --out "$WORK/fresh-$i"
  run regenerate 0 --source "$WORK/export.json" --out "$WORK/committed"
  run check-clean 0 --source "$WORK/export.json" --out "$WORK/committed" --check
  run check-stale 8 --source "$WORK/edited.json" --out "$WORK/committed" --check
  rm -rf "$WORK/fresh-$i"
done
grep -c '' "$WORK/out" | xargs printf 'check-stale printed %s lines, e.g.:\n'
{ grep -m 2 'changed' "$WORK/out"; grep -m 1 'memory:' "$WORK/out"; } | sed 's/^/    /'

for name in generate regenerate check-clean check-stale; do
  sort -n "$WORK/$name.times" | awk -v n="$name" '
    { wall[NR] = $1; rss[NR] = $2 / 1024; cpu[NR] = $3 + $4 }
    END {
      maxrss = 0; mincpu = cpu[1]; maxcpu = cpu[1]
      for (i = 1; i <= NR; i++) { if (rss[i] > maxrss) maxrss = rss[i]; if (cpu[i] < mincpu) mincpu = cpu[i]; if (cpu[i] > maxcpu) maxcpu = cpu[i] }
      printf "%-12s wall %.2f s best, %.2f s worst   CPU %.2f s best, %.2f s worst   peak RSS %.0f MB\n", n, wall[1], wall[NR], mincpu, maxcpu, maxrss }'
done

# Issue 12's target: --check costs no more than generate. The ratios, best CPU against best CPU and peak RSS
# against peak RSS, of each check against generate into a fresh folder.
best_cpu() { awk '{ c = $3 + $4; if (NR == 1 || c < m) m = c } END { print m }' "$WORK/$1.times"; }
peak_rss() { awk '{ if ($2 > m) m = $2 } END { print m / 1024 }' "$WORK/$1.times"; }
for name in check-clean check-stale; do
  awk -v n="$name" -v c="$(best_cpu "$name")" -v g="$(best_cpu generate)" -v r="$(peak_rss "$name")" -v gr="$(peak_rss generate)" \
    'BEGIN { printf "%-12s %.2fx generate'"'"'s CPU, %.2fx its peak RSS (target: at most 1.00x)\n", n, c / g, r / gr }'
done
