#!/usr/bin/env bash
# bench/pipeline-generate: `nautilus pipeline generate` (NetBox export → planner → typed jobs → YamlDotNet, with the
# needs-limit fallback and the size check) against the hand-rolled baseline teams write for dynamic child
# pipelines: a shell loop that prints the same plan/apply/configure jobs per wave with heredocs (the pattern of
# GitLab's "dynamic child pipelines" docs), given the wave list ready-made. Both outputs are validated against
# GitLab's CI schema (tests/Nautilus.Tests/Fixtures/GitLab/ci.json).
# Usage: bench/pipeline-generate/run.sh [waves…]   (default: 6 60 300 600)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SIZES=("${@:-6 60 300 600}")
read -r -a SIZES <<< "${SIZES[*]}"
PYTHON="${NAUTILUS_TEST_PYTHON:-/usr/bin/python3}"
dotnet build "$ROOT/src/Nautilus.Cli" -c Release -nologo -v quiet >/dev/null
NAUTILUS="dotnet $ROOT/src/Nautilus.Cli/bin/Release/net10.0/nautilus.dll"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
now() { date +%s.%N; }
RUNS=3

# The baseline: per wave, the same three jobs with the same needs, from a ready list "key level deps…".
baseline() {
  local list="$1" out="$2"
  {
    echo "stages: [plan, apply, configure]"
    while read -r key level deps; do
      cat <<YML
plan:$key:
  stage: plan
  needs: []
  variables: { TF_ROOT: terraform/bench/$key, TF_STATE_NAME: bench-$key, TF_HTTP_ADDRESS: "\${CI_API_V4_URL}/projects/\${CI_PROJECT_ID}/terraform/state/bench-$key" }
  script:
    - terraform -chdir="\$TF_ROOT" init -input=false
    - terraform -chdir="\$TF_ROOT" plan -input=false -out=plan.cache
  artifacts: { paths: [terraform/bench/$key/plan.cache] }
apply:$key:
  stage: apply
  needs: ["plan:$key"$(for d in $deps; do printf ', "apply:%s"' "$d"; done)]
  resource_group: bench-$key
  environment: bench/$key
  rules: [{ if: \$CI_COMMIT_BRANCH == \$CI_DEFAULT_BRANCH }]
  variables: { TF_ROOT: terraform/bench/$key }
  script:
    - terraform -chdir="\$TF_ROOT" apply -input=false plan.cache
configure:$key:
  stage: configure
  needs: ["apply:$key"]
  rules: [{ if: \$CI_COMMIT_BRANCH == \$CI_DEFAULT_BRANCH }]
  script:
    - ansible-playbook -i ansible/bench/inventory.yml ansible/bench/waves/$key.yml
YML
    done < "$list"
  } > "$out"
}

printf 'machine: %s, %s cores, load %s\n' "$(uname -m)" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
printf '%6s %8s %10s %12s %12s %8s %7s\n' waves levels yaml-bytes nautilus-s baseline-s ratio schema
for n in "${SIZES[@]}"; do
  # n waves in n/6 levels of 6 (each depends on the whole level before), one VM each.
  "$PYTHON" - "$WORK/export-$n.json" "$WORK/list-$n.txt" "$n" <<'PY'
import json, sys
path, listing, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
tags, vms, lines = {}, [], []
def tag(name):
    if name not in tags:
        tags[name] = {"id": len(tags) + 1, "name": name, "slug": name.replace(":", "-"), "display": name}
    t = tags[name]
    return {"id": t["id"], "name": t["name"], "slug": t["slug"], "display": t["display"]}
for i in range(n):
    level = i // 6
    wave = f"wave-{i:04d}"
    vms.append({"id": i + 1, "name": f"vm-{i:04d}", "display": f"vm-{i:04d}", "status": {"value": "planned", "label": "Planned"},
                "tags": [tag("wp:bench"), tag(f"wave:{wave}")], "custom_fields": {"deployment_sequence": level * 10},
                "vcpus": 2.0, "memory": 4096, "disk": 51200})
    deps = " ".join(f"wave-{j:04d}" for j in range((level - 1) * 6, level * 6)) if level else ""
    lines.append(f"{wave} {level} {deps}".rstrip())
json.dump({"netbox_version": "4.6.8", "virtual_machines": vms, "devices": [], "tags": list(tags.values())}, open(path, "w"))
open(listing, "w").write("\n".join(lines) + "\n")
PY
  t=0; b=0
  for _ in $(seq $RUNS); do
    t0=$(now); $NAUTILUS pipeline generate --wp bench --source "$WORK/export-$n.json" --parent-job nautilus-generate --out "$WORK/child-$n.yml" 2>/dev/null; t1=$(now)
    baseline "$WORK/list-$n.txt" "$WORK/base-$n.yml"; t2=$(now)
    t=$(echo "$t + $t1 - $t0" | bc); b=$(echo "$b + $t2 - $t1" | bc)
  done
  schema=ok
  "$PYTHON" "$ROOT/tests/Nautilus.Tests/Fixtures/GitLab/validate_ci.py" "$ROOT/tests/Nautilus.Tests/Fixtures/GitLab/ci.json" "$WORK/child-$n.yml" "$WORK/base-$n.yml" >/dev/null 2>&1 || schema=INVALID
  awk -v n="$n" -v l="$(( (n + 5) / 6 ))" -v bytes="$(wc -c < "$WORK/child-$n.yml")" -v t="$t" -v b="$b" -v r="$RUNS" -v s="$schema" \
    'BEGIN { printf "%6d %8d %10d %12.3f %12.3f %7.1fx %7s\n", n, l, bytes, t / r, b / r, (t / r) / (b / r), s }'
done
echo "nautilus: mean of $RUNS runs per size, .NET start-up included (one process per run, as in a CI job)."
echo "baseline: bash heredoc loop over a ready wave list (no NetBox read, no planning, no limits checked)."
