#!/usr/bin/env bash
# The container images: how long tests/images/build.sh takes as it finds the cache, and how big the images are.
# Usage (as root): bench/images/run.sh [--cold]   --cold first removes this script's images and every cached
# build step (buildah rmi --prune; the base images and the NuGet cache mount stay).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export NAUTILUS_IMAGE_TAG=bench
if [ "${1:-}" = --cold ]; then
  buildah rmi localhost/nautilus:bench localhost/nautilus-webhooks:bench >/dev/null 2>&1 || true
  buildah rmi --prune >/dev/null 2>&1 || true
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
start=$(date +%s.%N)
env_lines=$("$ROOT/tests/images/build.sh" 2>/tmp/nautilus-bench-images.log) || { tail -n 20 /tmp/nautilus-bench-images.log; exit 1; }
end=$(date +%s.%N)
eval "$env_lines"
grep -o 'localhost/[^ ]* built in .*' /tmp/nautilus-bench-images.log
echo "tests/images/build.sh: $(awk "BEGIN {printf \"%.0f\", $end - $start}") s (load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
for image in "$NAUTILUS_TEST_IMAGE_CLI" "$NAUTILUS_TEST_IMAGE_WEBHOOKS"; do
  c=$(buildah from --pull-never "$image")
  unpacked=$(du -sb "$(buildah mount "$c")" | cut -f1)
  buildah umount "$c" >/dev/null
  buildah rm "$c" >/dev/null
  echo "$image: $(buildah images --format '{{.Size}}' "$image") by buildah images (layers as tar), $(awk "BEGIN {printf \"%.1f\", $unpacked / 1e6}") MB unpacked (du -sb)"
done
