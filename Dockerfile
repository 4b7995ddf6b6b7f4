# syntax=docker/dockerfile:1
# Two images from one build:
#   docker build --target cli      -t nautilus:0.1.0 .           the CLI for GitLab CI jobs (ci-templates/)
#   docker build --target webhooks -t nautilus-webhooks:0.1.0 .  the webhook service (src/Nautilus.Webhooks)
# BuildKit builds only the stages a target needs, so the cli target builds without the service.
#
# .NET 10 ships no Debian images (dotnet/dotnet-docker#6526): the runtime images are Ubuntu 24.04 "noble",
# whose apt archive supplies Ansible. Terraform and OpenTofu are in neither archive; name an image that has
# one and its binary is copied in:
#   docker build --target cli --build-arg TOFU_IMAGE=ghcr.io/opentofu/opentofu:1.10.6 -t nautilus:0.1.0 .
# or leave it out and run plan/apply jobs in your own image (component input terraform_image).
#
# The dotnet restore/publish lines below are the ones tests/Nautilus.Tests/Pipelines/DockerfileTests.cs runs
# (and the gitlab-ci-local test uses that output through docker/nautilus): change them together.

ARG TOFU_IMAGE=no-tofu

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
# Project files first, so the restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Nautilus.Core/Nautilus.Core.csproj src/Nautilus.Core/
COPY src/Nautilus.Cli/Nautilus.Cli.csproj src/Nautilus.Cli/
RUN dotnet restore src/Nautilus.Cli/Nautilus.Cli.csproj
COPY src/ src/
# The built-in Scriban templates are embedded into Nautilus.Core from templates/.
COPY templates/ templates/

FROM build AS publish-cli
RUN dotnet publish src/Nautilus.Cli/Nautilus.Cli.csproj --no-restore -c Release -p:UseAppHost=false -o /app

FROM build AS publish-webhooks
RUN dotnet restore src/Nautilus.Webhooks/Nautilus.Webhooks.csproj
RUN dotnet publish src/Nautilus.Webhooks/Nautilus.Webhooks.csproj --no-restore -c Release -p:UseAppHost=false -o /app
# The SQLite store lives on a volume the non-root user can write.
RUN mkdir -p /data

# Default for TOFU_IMAGE: a stage without Terraform, so nothing is copied.
FROM mcr.microsoft.com/dotnet/runtime:10.0-noble AS no-tofu
FROM ${TOFU_IMAGE} AS tofu

FROM mcr.microsoft.com/dotnet/runtime:10.0-noble AS cli
# What the component's jobs run besides nautilus: ansible-playbook (configure:<wave>; the generated playbooks
# use ansible.builtin only, so ansible-core is enough), ssh for Ansible, CA certificates for NetBox/GitLab.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ansible-core openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN --mount=type=bind,from=tofu,source=/,target=/mnt/tofu \
    for bin in /mnt/tofu/usr/local/bin/tofu /mnt/tofu/usr/local/bin/terraform /mnt/tofu/bin/terraform; do \
      if [ -x "$bin" ]; then cp "$bin" /usr/local/bin/; fi; \
    done
COPY --from=publish-cli /app /opt/nautilus
COPY docker/nautilus /usr/local/bin/nautilus
ENV NAUTILUS_HOME=/opt/nautilus \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    ANSIBLE_HOST_KEY_CHECKING=False
# No ENTRYPOINT: GitLab's Docker executor starts the job's shell as the container command.
USER $APP_UID
CMD ["nautilus", "--help"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS webhooks
# Chiseled: no shell or package manager, non-root (APP_UID 1654) by default.
WORKDIR /app
COPY --from=publish-webhooks /app /app
COPY --from=publish-webhooks --chown=1654:1654 /data /data
ENV NAUTILUS_STORE=/data/nautilus-webhooks.db \
    ASPNETCORE_HTTP_PORTS=8080
VOLUME /data
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "/app/nautilus-webhooks.dll"]
