#!/usr/bin/env bash
# bench/plan-comment: `nautilus plan report` against GitLab's documented jq filter (the baseline every
# GitLab Terraform pipeline uses for the widget report, docs.gitlab.com/user/infrastructure/iac/mr_integration/),
# and `nautilus plan comment --dry-run` on the same plans, from Terraform plans of growing size.
# Usage: bench/plan-comment/run.sh [resources-per-wave=3000] [waves=6]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PER_WAVE="${1:-3000}"
WAVES="${2:-6}"
command -v jq >/dev/null || { echo "jq is needed for the baseline: apt-get install -y jq" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# The cli image's binary (the Dockerfile's publish flags: self-contained single file).
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
dotnet restore "$ROOT/src/Nautilus.Cli/Nautilus.Cli.csproj" -a "$ARCH" -p:SelfContained=true -v quiet >/dev/null
dotnet publish "$ROOT/src/Nautilus.Cli/Nautilus.Cli.csproj" --no-restore -c Release -a "$ARCH" --self-contained -p:PublishSingleFile=true -o "$WORK/cli" -nologo -v quiet >/dev/null
NAUTILUS="$WORK/cli/nautilus"

python3 - "$WORK/plans" "$PER_WAVE" "$WAVES" <<'PY'
import json, os, sys
out, per_wave, waves = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for w in range(waves):
    wave = f"wave-{w:02d}"
    changes = []
    for i in range(per_wave):
        action = ["create"] if i % 4 else (["delete", "create"] if i % 8 == 0 else ["update"])
        name = f"{wave.replace('-', '_')}_vm_{i:05d}"
        after = {"name": name, "num_cpus": 4, "memory": 8192, "annotation": f"NetBox virtualization.virtualmachine {i}",
                 "disk": [{"label": "disk0", "size": 60, "thin_provisioned": True}],
                 "network_interface": [{"adapter_type": "vmxnet3", "network_id": "dvportgroup-1001"}]}
        before = None if action == ["create"] else dict(after, num_cpus=2, id=f"42{i:06d}")
        changes.append({"address": f"vsphere_virtual_machine.{name}", "mode": "managed", "type": "vsphere_virtual_machine",
                        "name": name, "provider_name": "registry.terraform.io/hashicorp/vsphere",
                        "change": {"actions": action, "before": before, "after": after,
                                   "after_unknown": {"id": True, "default_ip_address": True},
                                   "before_sensitive": {} if before else False, "after_sensitive": {}}})
    os.makedirs(f"{out}/{wave}", exist_ok=True)
    with open(f"{out}/{wave}/plan.json", "w") as f:
        json.dump({"format_version": "1.2", "terraform_version": "1.9.8", "resource_changes": changes}, f, separators=(",", ":"))
PY

bytes=$(cat "$WORK"/plans/*/plan.json | wc -c)
now() { date +%s.%N; }
JQ='([.resource_changes[]?.change.actions?]|flatten)|{"create":(map(select(.=="create"))|length),"update":(map(select(.=="update"))|length),"delete":(map(select(.=="delete"))|length)}'

t0=$(now)
for f in "$WORK"/plans/*/plan.json; do jq -c "$JQ" "$f" > "${f%.json}.jq.json"; done
t1=$(now)
for f in "$WORK"/plans/*/plan.json; do $NAUTILUS plan report --plan "$f" --out "${f%.json}.report.json"; done
t2=$(now)
(cd "$WORK" && $NAUTILUS plan comment --plans-dir plans --wp bench --dry-run > comment.md)
t3=$(now)

for f in "$WORK"/plans/*/plan.json; do
  cmp -s <(jq -cS . "${f%.json}.jq.json") <(jq -cS . "${f%.json}.report.json") || { echo "report differs from the jq baseline for $f" >&2; exit 1; }
done

awk -v b="$bytes" -v w="$WAVES" -v n="$PER_WAVE" -v jq="$(echo "$t1 - $t0" | bc)" -v rep="$(echo "$t2 - $t1" | bc)" -v com="$(echo "$t3 - $t2" | bc)" -v len="$(wc -c < "$WORK/comment.md")" 'BEGIN {
  printf "machine: %s, %s cores\n", "'"$(uname -m)"'", "'"$(nproc)"'";
  printf "plans: %d waves x %d resources = %.1f MB of terraform show -json\n", w, n, b / 1e6;
  printf "widget report, jq baseline (GitLab docs filter): %6.2f s\n", jq;
  printf "widget report, nautilus plan report:            %6.2f s  (ratio %.2fx the baseline; identical counts)\n", rep, rep / jq;
  printf "MR note, nautilus plan comment --dry-run:       %6.2f s  (%.2fx the 1 s target of issue 13; %d bytes, limit 1,000,000 characters)\n", com, com / 1.0, len;
}'
