# syntax=docker/dockerfile:1
# Two images from one file; Docker (BuildKit) and buildah both build it:
#   docker build --target cli      -t nautilus:0.1.0 .           the CLI for GitLab CI jobs (ci-templates/)
#   docker build --target webhooks -t nautilus-webhooks:0.1.0 .  the webhook service (src/Nautilus.Webhooks)
# Only the stages a target needs are built, so the cli target builds without the service.
#
# The base images are build arguments. The defaults are the public images; a build machine without a registry
# passes local ones (tests/images/build.sh makes them from the machine's apt mirror and .NET SDK):
#   SDK_IMAGE      a .NET 10 SDK with a shell (restore and publish run in it)
#   BASE_IMAGE     Debian or Ubuntu with apt: the cli image (its CLI is self-contained, Ansible comes from apt)
#   RUNTIME_IMAGE  an ASP.NET Core 10 runtime: the webhooks image (no shell needed)
#   TOFU_IMAGE     an image holding tofu or terraform in /usr/local/bin or /bin, copied into the cli image;
#                  by default BASE_IMAGE, which holds neither, so nothing is copied, e.g.
#   docker build --target cli --build-arg TOFU_IMAGE=ghcr.io/opentofu/opentofu:1.10.6 -t nautilus:0.1.0 .
# .NET 10 ships no Debian images (dotnet/dotnet-docker#6526), hence Ubuntu 24.04 "noble" defaults.
#
# tests/run.sh builds both targets with buildah and runs them (tests/Nautilus.Images.Tests); the dotnet
# restore/publish lines below are also what tests/Nautilus.Tests/Support/PublishedApp.cs runs on the host.

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble
ARG BASE_IMAGE=ubuntu:24.04
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
ARG TOFU_IMAGE=${BASE_IMAGE}

FROM ${SDK_IMAGE} AS build
# The target architecture (amd64, arm64), which the SDK maps to a runtime identifier. BuildKit and recent
# buildah and podman set it; older builders need it passed.
ARG TARGETARCH
RUN test -n "$TARGETARCH" || { echo "TARGETARCH is not set: pass --build-arg TARGETARCH=amd64 (or arm64)" >&2; exit 1; }
WORKDIR /src
# Project files first, so each restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Nautilus.Core/Nautilus.Core.csproj src/Nautilus.Core/
COPY src/Nautilus.Cli/Nautilus.Cli.csproj src/Nautilus.Cli/
COPY src/Nautilus.Webhooks/Nautilus.Webhooks.csproj src/Nautilus.Webhooks/

# The CLI: self-contained single file, so the cli image needs no .NET runtime; precompiled (ReadyToRun, set in
# Nautilus.Cli.csproj for self-contained builds), so a CI job does not wait for the JIT.
FROM build AS publish-cli
ARG TARGETARCH
RUN --mount=type=cache,id=nautilus-nuget,target=/root/.nuget/packages \
    dotnet restore src/Nautilus.Cli/Nautilus.Cli.csproj -a $TARGETARCH -p:SelfContained=true
COPY templates/ templates/
COPY NAUTILUS.md ./
COPY src/Nautilus.Core/ src/Nautilus.Core/
COPY src/Nautilus.Cli/ src/Nautilus.Cli/
RUN --mount=type=cache,id=nautilus-nuget,target=/root/.nuget/packages \
    dotnet publish src/Nautilus.Cli/Nautilus.Cli.csproj --no-restore -c Release -a $TARGETARCH --self-contained -p:PublishSingleFile=true -o /app

# The service: framework-dependent on the runtime image; for one architecture, so only its native SQLite ships.
FROM build AS publish-webhooks
ARG TARGETARCH
RUN --mount=type=cache,id=nautilus-nuget,target=/root/.nuget/packages \
    dotnet restore src/Nautilus.Webhooks/Nautilus.Webhooks.csproj -a $TARGETARCH -p:SelfContained=false
COPY templates/ templates/
COPY src/Nautilus.Core/ src/Nautilus.Core/
COPY src/Nautilus.Webhooks/ src/Nautilus.Webhooks/
RUN --mount=type=cache,id=nautilus-nuget,target=/root/.nuget/packages \
    dotnet publish src/Nautilus.Webhooks/Nautilus.Webhooks.csproj --no-restore -c Release -a $TARGETARCH --self-contained false -p:UseAppHost=false -o /app
# The store's volume, made here because the runtime image has no shell.
RUN mkdir -p /data

FROM ${TOFU_IMAGE} AS tofu

FROM ${BASE_IMAGE} AS cli
# The non-root user of the .NET images (app, 1654). Its home is writable by group 0 too, as runners that pick
# an arbitrary uid (OpenShift, Kubernetes runAsUser) run it with group 0; Ansible needs $HOME/.ansible/tmp.
ARG APP_UID=1654
# What the component's jobs run besides nautilus: ansible-playbook (configure:<wave>; the generated playbooks
# use ansible.builtin only, so ansible-core is enough), ssh for Ansible, CA certificates for NetBox/GitLab.
# Left out, as a job never runs them: the IEEE registries (ieee-data, pulled in by python3-netaddr: only its MAC
# vendor lookups read them, and neither ansible-core nor the generated playbooks use netaddr) and ansible-test, a
# tool for developing collections (removed after the install, as the package's own byte-compiling needs its files).
RUN echo 'path-exclude /usr/share/ieee-data/*' > /etc/dpkg/dpkg.cfg.d/nautilus-excludes \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ansible-core openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /usr/lib/python3/dist-packages/ansible_test \
 && (id -u app >/dev/null 2>&1 || useradd --uid "$APP_UID" --user-group --create-home --home-dir /home/app --shell /bin/sh app) \
 && chgrp 0 /home/app && chmod 2775 /home/app
RUN --mount=type=bind,from=tofu,source=/,target=/mnt/tofu \
    for bin in /mnt/tofu/usr/local/bin/tofu /mnt/tofu/usr/local/bin/terraform /mnt/tofu/bin/terraform; do \
      if [ -x "$bin" ]; then cp "$bin" /usr/local/bin/; fi; \
    done
COPY --from=publish-cli /app/nautilus /usr/local/bin/nautilus
ENV HOME=/home/app \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    ANSIBLE_HOST_KEY_CHECKING=False
# No ENTRYPOINT: GitLab's Docker executor starts the job's shell as the container command.
USER $APP_UID
WORKDIR /home/app
CMD ["nautilus", "--help"]

FROM ${RUNTIME_IMAGE} AS webhooks
# The runtime images' non-root user (app, 1654); chiseled images have no shell or package manager.
ARG APP_UID=1654
WORKDIR /app
COPY --from=publish-webhooks /app /app
COPY --from=publish-webhooks --chown=$APP_UID:$APP_UID /data /data
ENV NAUTILUS_STORE=/data/nautilus-webhooks.db \
    ASPNETCORE_HTTP_PORTS=8080
VOLUME /data
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "/app/nautilus-webhooks.dll"]
