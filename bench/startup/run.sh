#!/usr/bin/env bash
# bench/startup: how long a CI job waits for nautilus before it does anything, for the three start-up rows of
# issue 13: `--version`, `wp status` on the example export, `pipeline generate` for its waves. Three builds:
#   shipped   the cli image's binary: the Dockerfile's publish line (self-contained single file, ReadyToRun)
#   plain     the same without ReadyToRun
#   jit       `dotnet nautilus.dll` from a plain Release build
#   hello     a .NET program that prints one line, published like the shipped one: the runtime's own floor
# Each command runs RUNS times; the median wall time, the CPU time (user+sys) and peak RSS of that run are shown.
# Usage: bench/startup/run.sh [runs=15]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUNS="${1:-15}"
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install -y time" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)

echo "building (Release; the Dockerfile's cli publish flags)…" >&2
dotnet build "$ROOT/src/Nautilus.Cli" -c Release -nologo -v quiet >/dev/null
publish() { # project output [extra publish properties…]
  local project="$1" out="$2"; shift 2
  dotnet restore "$project" -a "$ARCH" -p:SelfContained=true "$@" -v quiet >/dev/null
  dotnet publish "$project" --no-restore -c Release -a "$ARCH" --self-contained -p:PublishSingleFile=true "$@" -o "$out" -nologo -v quiet >/dev/null
}
publish "$ROOT/src/Nautilus.Cli/Nautilus.Cli.csproj" "$WORK/shipped"
# The same without ReadyToRun: what the shipped binary gains from precompiled code.
publish "$ROOT/src/Nautilus.Cli/Nautilus.Cli.csproj" "$WORK/plain" -p:PublishReadyToRun=false
publish "$ROOT/bench/startup/Hello/Hello.csproj" "$WORK/hello"
JIT=(dotnet "$ROOT/src/Nautilus.Cli/bin/Release/net10.0/nautilus.dll")
SHIPPED=("$WORK/shipped/nautilus")
PLAIN=("$WORK/plain/nautilus")
EXAMPLE="$ROOT/examples/netbox/dc1-refresh.json"
WAVES=$("${SHIPPED[@]}" wp status dc1-refresh --source "$EXAMPLE" --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["waves"]))')

measure() { # label target-ms command…
  local label="$1" target="$2"; shift 2
  : > "$WORK/runs"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -q -f '%e %U %S %M' -o "$WORK/t" "$@" >/dev/null 2>&1 || true
    cat "$WORK/t" >> "$WORK/runs"
  done
  sort -n "$WORK/runs" | awk -v l="$label" -v t="$target" -v n="$RUNS" '
    { w[NR] = $1 * 1000; c[NR] = ($2 + $3) * 1000; r[NR] = $4 / 1024 }
    END { m = int((n + 1) / 2); ratio = t > 0 ? sprintf("%.2fx the %d ms target", w[m] / t, t) : "";
          printf "%-44s %8.0f ms %8.0f ms %6.0f MB  %s\n", l, w[m], c[m], r[m], ratio }'
}

printf 'machine: %s, %s cores, load average %s; %d runs each, median shown\n' "$(uname -m)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$RUNS"
printf '%-44s %11s %11s %9s\n' command wall cpu rss
measure "hello world (runtime floor)" 0 "$WORK/hello/hello"
measure "shipped: --version" 25 "${SHIPPED[@]}" --version
measure "plain single file: --version" 25 "${PLAIN[@]}" --version
measure "jit (before): --version" 25 "${JIT[@]}" --version
measure "shipped: wp status (example)" 60 "${SHIPPED[@]}" wp status dc1-refresh --source "$EXAMPLE"
measure "plain single file: wp status (example)" 60 "${PLAIN[@]}" wp status dc1-refresh --source "$EXAMPLE"
measure "jit (before): wp status (example)" 60 "${JIT[@]}" wp status dc1-refresh --source "$EXAMPLE"
measure "shipped: pipeline generate ($WAVES waves)" 80 "${SHIPPED[@]}" pipeline generate --wp dc1-refresh --source "$EXAMPLE" --out "$WORK/child.yml"
measure "plain single file: pipeline generate ($WAVES waves)" 80 "${PLAIN[@]}" pipeline generate --wp dc1-refresh --source "$EXAMPLE" --out "$WORK/child.yml"
measure "jit (before): pipeline generate ($WAVES waves)" 80 "${JIT[@]}" pipeline generate --wp dc1-refresh --source "$EXAMPLE" --out "$WORK/child.yml"
