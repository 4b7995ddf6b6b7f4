#!/usr/bin/env bash
# Fails when two folders of src/Nautilus.Core use each other, directly or around a longer loop
# (docs/design.md §1.2: feature folders use integration folders, never the other way).
# An edge A -> B is a `using Nautilus.Core.B;` or a `Nautilus.Core.B.` qualified name in a file of folder A.
#   tests/tools/using-cycles.sh          prints each folder's dependencies, then "no cycles" or the loop; exit 1 on a loop
set -euo pipefail
core="$(cd "$(dirname "$0")/../.." && pwd)/src/Nautilus.Core"
edges=""
for dir in "$core"/*/; do
  from=$(basename "$dir")
  [ "$from" = bin ] || [ "$from" = obj ] && continue
  deps=$(grep -rhoE --include='*.cs' '(using |global::)?Nautilus\.Core\.[A-Z][A-Za-z]*' "$dir" \
    | sed -E 's/.*Nautilus\.Core\.//' | sort -u | grep -vx "$from" || true)
  echo "$from -> $(echo $deps)"
  for to in $deps; do
    [ -d "$core/$to" ] && edges+="$from $to"$'\n'
  done
done
# tsort orders the graph and names a loop when there is one.
if loop=$(printf '%s' "$edges" | tsort 2>&1 >/dev/null) && [ -z "$loop" ]; then
  echo "no cycles"
else
  echo "$loop" | sed 's/^tsort: /cycle: /'
  exit 1
fi
