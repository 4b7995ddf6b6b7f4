#!/usr/bin/env bash
# Builds the Dockerfile's two targets with buildah, with no Docker engine and no container registry, and leaves
# them in buildah's local storage (list them with `buildah images`):
#   localhost/nautilus:local            target cli
#   localhost/nautilus-webhooks:local   target webhooks
# The base images the Dockerfile takes as build arguments are made here when missing, from what the build
# machine already has, and kept for the next run:
#   BASE_IMAGE     localhost/nautilus-base/debian:bookworm-slim   debootstrap (minbase) from the machine's apt
#                  mirror, without documentation and package lists, as Docker's debian:*-slim images
#   SDK_IMAGE      localhost/nautilus-base/dotnet-sdk:<version>   that image plus the machine's .NET SDK, its
#                  NuGet.Config and its CA bundle (which may hold a proxy's CA, so HTTPS to the feed verifies)
#   RUNTIME_IMAGE  localhost/nautilus-base/dotnet-aspnet:<version> no shell or package manager: the libraries
#                  .NET needs, unpacked from Debian packages, the machine's .NET and ASP.NET Core runtimes, and
#                  the user app (1654), as Microsoft's chiseled images
# Versions in the tags follow the machine's .NET, so a new SDK or runtime gets new base images.
# Repeat runs are fast: base images are kept, build steps are cached (--layers) and NuGet packages stay in a
# cache mount; a step is rebuilt only when its inputs change.
#
# Run as root (debootstrap and buildah's storage). Environment:
#   NAUTILUS_IMAGE_TAG the images' tag, default local
#   STORAGE_DRIVER     buildah's storage driver: default the one the storage already uses, else overlay when
#                      this kernel mounts it, else vfs (slow, but works anywhere)
#   BUILDAH_ISOLATION  default chroot (no user namespaces needed; RUN steps share the host's network)
# Progress goes to stderr; stdout gets `export` lines for the tests (tests/run.sh evaluates them).
set -euo pipefail
# buildah run and bud leave their stdin non-blocking, and the flag belongs to the open file, shared with the
# caller (tests/run.sh, a terminal), where Ansible then refuses to start: they get /dev/null instead.
exec </dev/null
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CLI_IMAGE=localhost/nautilus:${NAUTILUS_IMAGE_TAG:-local}
WEBHOOKS_IMAGE=localhost/nautilus-webhooks:${NAUTILUS_IMAGE_TAG:-local}
GRAPH_ROOT=/var/lib/containers/storage

log() { printf 'images: %s\n' "$*" >&2; }
fail() { printf 'images: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and buildah's storage need it); tests/run.sh runs it"
for tool in buildah debootstrap dotnet; do
  command -v "$tool" >/dev/null || fail "$tool is missing; tests/tools/setup.sh installs buildah and debootstrap"
done

if [ -z "${STORAGE_DRIVER:-}" ]; then
  if [ -d "$GRAPH_ROOT/overlay-images" ]; then STORAGE_DRIVER=overlay
  elif [ -d "$GRAPH_ROOT/vfs-images" ]; then STORAGE_DRIVER=vfs
  else
    probe=$(mktemp -d)
    mkdir "$probe"/{l,u,w,m}
    if mount -t overlay overlay -o "lowerdir=$probe/l,upperdir=$probe/u,workdir=$probe/w" "$probe/m" 2>/dev/null; then
      umount "$probe/m"; STORAGE_DRIVER=overlay
    else
      STORAGE_DRIVER=vfs
    fi
    rm -rf "$probe"
  fi
fi
export STORAGE_DRIVER BUILDAH_ISOLATION=${BUILDAH_ISOLATION:-chroot}
log "buildah $(buildah --version | awk '{print $3}'), storage driver $STORAGE_DRIVER, isolation $BUILDAH_ISOLATION"

have() { buildah inspect --type image "$1" >/dev/null 2>&1; }

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
sdk_version=$(dotnet --version)
runtime_version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" {v = $2} END {print v}')
[ -n "$runtime_version" ] || fail "the machine's .NET has no ASP.NET Core runtime ($dotnet_root)"
[ -d "$dotnet_root/shared/Microsoft.NETCore.App/$runtime_version" ] || fail "no .NET runtime $runtime_version next to ASP.NET Core's in $dotnet_root"
BASE_IMAGE=localhost/nautilus-base/debian:bookworm-slim
SDK_IMAGE=localhost/nautilus-base/dotnet-sdk:$sdk_version
RUNTIME_IMAGE=localhost/nautilus-base/dotnet-aspnet:$runtime_version

if ! have "$BASE_IMAGE"; then
  mirror=$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$mirror" ] || fail "no Debian mirror in the machine's apt sources for debootstrap"
  log "making $BASE_IMAGE: debootstrap bookworm from $mirror"
  rootfs=$(mktemp -d /tmp/nautilus-rootfs.XXXXXX)
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
    { tail -n 20 "$rootfs.log" >&2; fail "debootstrap failed (log: $rootfs.log)"; }
  # Slim, as Docker's debian:*-slim: dpkg skips documentation and translations from now on, apt keeps no caches.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CFG
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
CFG
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* \
    "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/*
  c=$(buildah from scratch)
  cp -a "$rootfs"/. "$(buildah mount "$c")"/
  buildah umount "$c" >/dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd bash "$c"
  buildah commit -q --rm "$c" "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
fi

if ! have "$SDK_IMAGE"; then
  log "making $SDK_IMAGE from $dotnet_root"
  c=$(buildah from "$BASE_IMAGE")
  buildah run "$c" -- sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates libicu72 libssl3 zlib1g >/dev/null && rm -rf /var/lib/apt/lists/*'
  buildah copy -q "$c" "$dotnet_root" /usr/share/dotnet >/dev/null
  buildah run "$c" -- ln -sf /usr/share/dotnet/dotnet /usr/bin/dotnet
  nuget_config=${NUGET_CONFIG:-$HOME/.nuget/NuGet/NuGet.Config}
  if [ -f "$nuget_config" ]; then buildah copy -q "$c" "$nuget_config" /root/.nuget/NuGet/NuGet.Config >/dev/null; fi
  buildah copy -q "$c" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt >/dev/null
  buildah config --env DOTNET_CLI_TELEMETRY_OPTOUT=1 --env DOTNET_NOLOGO=1 --env DOTNET_RUNNING_IN_CONTAINER=true \
    --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt --env NUGET_CERT_REVOCATION_MODE=offline "$c"
  buildah commit -q --rm "$c" "$SDK_IMAGE" >/dev/null
fi

if ! have "$RUNTIME_IMAGE"; then
  log "making $RUNTIME_IMAGE from $dotnet_root"
  debs=$(mktemp -d /tmp/nautilus-debs.XXXXXX)
  chmod 755 "$debs"
  c=$(buildah from "$BASE_IMAGE")
  # The Debian packages of what .NET loads (libc, libstdc++, OpenSSL, zlib), unpacked without their scripts.
  buildah run -v "$debs:/out" "$c" -- sh -c 'apt-get update -qq && cd /tmp &&
    apt-get download -qq libc6 libgcc-s1 libstdc++6 libssl3 zlib1g && for d in *.deb; do dpkg-deb -x "$d" /out; done'
  buildah rm "$c" >/dev/null
  rm -rf "$debs"/usr/share/{doc,man,info,locale,lintian} "$debs"/usr/lib/x86_64-linux-gnu/gconv "$debs"/usr/lib/aarch64-linux-gnu/gconv
  c=$(buildah from scratch)
  m=$(buildah mount "$c")
  cp -a "$debs"/. "$m"/
  mkdir -p "$m"/etc/ssl/certs "$m"/tmp "$m"/usr/bin "$m"/usr/share/dotnet/host/fxr "$m"/usr/share/dotnet/shared
  chmod 1777 "$m"/tmp
  cp /etc/ssl/certs/ca-certificates.crt "$m"/etc/ssl/certs/
  cp -a "$dotnet_root/dotnet" "$m"/usr/share/dotnet/
  cp -a "$dotnet_root/host/fxr/$(ls "$dotnet_root/host/fxr" | sort -V | tail -n 1)" "$m"/usr/share/dotnet/host/fxr/
  for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    mkdir -p "$m/usr/share/dotnet/shared/$framework"
    cp -a "$dotnet_root/shared/$framework/$runtime_version" "$m/usr/share/dotnet/shared/$framework/"
  done
  ln -s ../share/dotnet/dotnet "$m"/usr/bin/dotnet
  printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654::/home/app:/sbin/nologin\n' >"$m"/etc/passwd
  printf 'root:x:0:\napp:x:1654:\n' >"$m"/etc/group
  mkdir -p "$m"/home/app && chown 1654:1654 "$m"/home/app
  buildah umount "$c" >/dev/null
  rm -rf "$debs"
  buildah config --user 1654 --env APP_UID=1654 --env ASPNETCORE_HTTP_PORTS=8080 --env DOTNET_RUNNING_IN_CONTAINER=true \
    --env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt "$c"
  buildah commit -q --rm "$c" "$RUNTIME_IMAGE" >/dev/null
fi

# Debian 12's buildah (1.28) does not set TARGETARCH itself: Docker's name for the machine's architecture.
case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
args=(--build-arg "TARGETARCH=$arch" --build-arg "SDK_IMAGE=$SDK_IMAGE" --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE")
for target in cli webhooks; do
  image=$CLI_IMAGE; [ "$target" = webhooks ] && image=$WEBHOOKS_IMAGE
  log "building target $target as $image"
  start=$SECONDS
  buildah bud --layers --target "$target" "${args[@]}" -f "$ROOT/Dockerfile" -t "$image" "$ROOT" >&2 ||
    fail "buildah bud --target $target failed"
  log "$image built in $((SECONDS - start)) s, $(buildah images --format "{{.Size}}" "$image")"
done

echo "export STORAGE_DRIVER=$STORAGE_DRIVER BUILDAH_ISOLATION=$BUILDAH_ISOLATION"
echo "export NAUTILUS_TEST_IMAGE_CLI=$CLI_IMAGE NAUTILUS_TEST_IMAGE_WEBHOOKS=$WEBHOOKS_IMAGE"
