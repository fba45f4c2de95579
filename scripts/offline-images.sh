#!/usr/bin/env bash
# Builds local stand-ins for the base images of docker-compose.yml where no image registry is reachable
# (air-gapped sites, this project's CI machine). Nothing is pulled from a registry:
#
#   1. a Debian bookworm root filesystem (debootstrap, minbase, from the machine's Debian mirror) with the
#      machine's CA trust store (/etc/ssl/certs: a site TLS proxy that re-signs registry traffic makes
#      `npm ci` inside a build fail with SELF_SIGNED_CERT_IN_CHAIN otherwise), imported as
#      $PHOENIX_DEBIAN_IMAGE;
#   2. the Node image $PHOENIX_NODE_IMAGE (default node:20-bookworm-slim): that root filesystem plus this
#      machine's Node.js, npm and Node headers (native addons such as better-sqlite3 build against them
#      without downloading anything), laid out like the official image (user `node`, uid 1000);
#   3. the Prometheus image $PROMETHEUS_IMAGE (default prom/prometheus:v2.55.1) from Debian's `prometheus`
#      package, laid out like the official image (ENTRYPOINT /bin/prometheus, /etc/prometheus, /prometheus,
#      user nobody, wget for the healthcheck);
#   4. the Pushgateway image $PUSHGATEWAY_IMAGE (default prom/pushgateway:v1.9.0) from Debian's
#      `prometheus-pushgateway` package, laid out like the official image (ENTRYPOINT /bin/pushgateway, port
#      9091, user nobody, wget for the healthcheck);
#   5. the PostgreSQL image $POSTGRES_IMAGE (default postgres:15-bookworm) from Debian's `postgresql-15`, with
#      the official image's interface (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, PGDATA, pg_isready) through
#      docker/offline/postgres-entrypoint.sh.
#
# Grafana has no offline source: docker-compose.yml keeps it in the `grafana` profile.
#
# The tags are the official names on purpose, so `docker compose up --build` finds them locally and never
# pulls. Existing tags are kept unless --force is given. Needs root (debootstrap), docker and debootstrap.
#
#   sudo scripts/offline-images.sh [--force]
set -euo pipefail

PHOENIX_NODE_IMAGE="${PHOENIX_NODE_IMAGE:-node:20-bookworm-slim}"
PROMETHEUS_IMAGE="${PROMETHEUS_IMAGE:-prom/prometheus:v2.55.1}"
PUSHGATEWAY_IMAGE="${PUSHGATEWAY_IMAGE:-prom/pushgateway:v1.9.0}"
POSTGRES_IMAGE="${POSTGRES_IMAGE:-postgres:15-bookworm}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PHOENIX_DEBIAN_IMAGE="${PHOENIX_DEBIAN_IMAGE:-phoenix-offline/debian:bookworm}"
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

log() { echo "[offline-images] $*"; }
die() {
  echo "[offline-images] error: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap needs it)"
command -v docker >/dev/null || die "docker is missing (apt-get install docker.io)"
command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
docker info >/dev/null 2>&1 || die "no Docker engine answers (start dockerd)"
# The classic builder uses local images as they are; BuildKit (20.10) would ask the registry about FROM.
export DOCKER_BUILDKIT=0

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# The machine's Debian mirror (deb822 sources first, then sources.list), default deb.debian.org.
debian_mirror() {
  local m=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m="$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
  fi
  echo "${DEBIAN_MIRROR:-${m:-http://deb.debian.org/debian}}"
}

WORK="$(mktemp -d /tmp/phoenix-offline-images.XXXXXX)"
cleanup() {
  # debootstrap may leave /proc or /sys mounted inside the root filesystem when it fails
  for m in proc sys dev/pts dev; do umount -l "$WORK/rootfs/$m" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------------
build_debian() {
  if have_image "$PHOENIX_DEBIAN_IMAGE" && [ "$FORCE" -eq 0 ]; then
    log "$PHOENIX_DEBIAN_IMAGE exists"
    return
  fi
  local mirror rootfs="$WORK/rootfs" t0=$SECONDS
  mirror="$(debian_mirror)"
  log "debootstrap bookworm (minbase) from $mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 || {
    tail -n 30 "$WORK/debootstrap.log" >&2
    die "debootstrap failed"
  }
  # The machine's trust store, dereferenced (the links point into /usr/share/ca-certificates), plus the
  # site's own CAs, so TLS inside the image trusts what the machine trusts.
  mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/usr/local/share/ca-certificates"
  cp -rL /etc/ssl/certs/. "$rootfs/etc/ssl/certs/"
  if [ -d /usr/local/share/ca-certificates ]; then cp -rL /usr/local/share/ca-certificates/. "$rootfs/usr/local/share/ca-certificates/"; fi
  # apt: the same mirror for bookworm and bookworm-updates, no recommends, no caches kept in layers.
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$mirror" "$mirror" >"$rootfs/etc/apt/sources.list"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$rootfs/etc/apt/apt.conf.d/99phoenix-no-recommends"
  printf 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb || true"; };\n' >"$rootfs/etc/apt/apt.conf.d/99phoenix-clean"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
  tar --numeric-owner -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["bash"]' \
    - "$PHOENIX_DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
  log "$PHOENIX_DEBIAN_IMAGE imported ($((SECONDS - t0)) s)"
}

# ---------------------------------------------------------------------------------------------------
build_node() {
  if have_image "$PHOENIX_NODE_IMAGE" && [ "$FORCE" -eq 0 ]; then
    log "$PHOENIX_NODE_IMAGE exists"
    return
  fi
  local ctx="$WORK/node" t0=$SECONDS node_bin npm_dir
  node_bin="$(readlink -f "$(command -v node)")" || die "node is missing"
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" # .../lib/node_modules/npm
  [ -f "$npm_dir/package.json" ] || die "npm not found next to $(command -v npm)"
  mkdir -p "$ctx/usr/bin" "$ctx/usr/lib/node_modules" "$ctx/usr/include" "$ctx/usr/etc"
  cp "$node_bin" "$ctx/usr/bin/node"
  cp -r "$npm_dir" "$ctx/usr/lib/node_modules/npm"
  if [ -d "$(dirname "$npm_dir")/corepack" ]; then cp -r "$(dirname "$npm_dir")/corepack" "$ctx/usr/lib/node_modules/corepack"; fi
  # Node's headers: node-gyp builds native addons against them instead of downloading them (nodedir).
  local inc
  inc="$(dirname "$(dirname "$node_bin")")/include/node"
  if [ -d "$inc" ]; then cp -r "$inc" "$ctx/usr/include/node"; else mkdir -p "$ctx/usr/include/node"; fi
  # npm's global config: the CA bundle of the trust store, and the headers above.
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nnodedir=/usr\nfund=false\naudit=false\nupdate-notifier=false\n' >"$ctx/usr/etc/npmrc"
  cat >"$ctx/Dockerfile" <<EOF
FROM $PHOENIX_DEBIAN_IMAGE
COPY usr/ /usr/
RUN ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm \\
 && ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/bin/npx \\
 && if [ -d /usr/lib/node_modules/corepack ]; then ln -sf ../lib/node_modules/corepack/dist/corepack.js /usr/bin/corepack; fi \\
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && node --version && npm --version
ENV NODE_VERSION=$(node --version | tr -d v) NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
EOF
  log "building $PHOENIX_NODE_IMAGE (Node $(node --version), npm $(npm --version 2>/dev/null))"
  docker build -q -t "$PHOENIX_NODE_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "$PHOENIX_NODE_IMAGE built ($((SECONDS - t0)) s)"
}

# ---------------------------------------------------------------------------------------------------
build_prometheus() {
  if have_image "$PROMETHEUS_IMAGE" && [ "$FORCE" -eq 0 ]; then
    log "$PROMETHEUS_IMAGE exists"
    return
  fi
  local ctx="$WORK/prometheus" t0=$SECONDS
  mkdir -p "$ctx"
  # policy-rc.d: the package's maintainer scripts must not try to start a service during the build.
  cat >"$ctx/Dockerfile" <<EOF
FROM $PHOENIX_DEBIAN_IMAGE
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \\
 && apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus wget \\
 && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d \\
 && { [ -e /bin/prometheus ] || ln -s /usr/bin/prometheus /bin/prometheus; } \\
 && { [ -e /bin/promtool ] || ln -s /usr/bin/promtool /bin/promtool; } \\
 && mkdir -p /prometheus /etc/prometheus && chown -R nobody:nogroup /prometheus /etc/prometheus \\
 && prometheus --version
USER nobody
EXPOSE 9090
VOLUME ["/prometheus"]
WORKDIR /prometheus
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
EOF
  log "building $PROMETHEUS_IMAGE from Debian's prometheus package"
  docker build -q -t "$PROMETHEUS_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "$PROMETHEUS_IMAGE built ($((SECONDS - t0)) s)"
}

# ---------------------------------------------------------------------------------------------------
# An image of Debian packages: $1 tag, $2 apt packages, $3 the Dockerfile lines after the install.
build_from_debian() {
  local tag="$1" packages="$2" rest="$3" ctx="$WORK/pkg" t0=$SECONDS
  if have_image "$tag" && [ "$FORCE" -eq 0 ]; then
    log "$tag exists"
    return
  fi
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp "$ROOT/docker/offline/postgres-entrypoint.sh" "$ctx/"
  {
    echo "FROM $PHOENIX_DEBIAN_IMAGE"
    echo "RUN printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \\"
    echo " && apt-get update \\"
    echo " && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages \\"
    echo " && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d"
    echo "$rest"
  } >"$ctx/Dockerfile"
  log "building $tag from Debian's $packages"
  docker build -q -t "$tag" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "$tag built ($((SECONDS - t0)) s)"
}

build_pushgateway() {
  build_from_debian "$PUSHGATEWAY_IMAGE" "prometheus-pushgateway wget" 'RUN ln -sf /usr/bin/prometheus-pushgateway /bin/pushgateway && mkdir -p /pushgateway && chown nobody:nogroup /pushgateway && pushgateway --version
USER nobody
EXPOSE 9091
WORKDIR /pushgateway
ENTRYPOINT ["/bin/pushgateway"]'
}

build_postgres() {
  build_from_debian "$POSTGRES_IMAGE" "postgresql-15" 'COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh && ln -sf /usr/lib/postgresql/15/bin/pg_isready /usr/local/bin/pg_isready \
 && mkdir -p /var/lib/postgresql/data && chown -R postgres:postgres /var/lib/postgresql && chmod 700 /var/lib/postgresql/data
ENV PGDATA=/var/lib/postgresql/data
USER postgres
EXPOSE 5432
VOLUME ["/var/lib/postgresql/data"]
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]'
}

T0=$SECONDS
build_debian
build_node
build_prometheus
build_pushgateway
build_postgres
log "done in $((SECONDS - T0)) s: $PHOENIX_NODE_IMAGE, $PROMETHEUS_IMAGE, $PUSHGATEWAY_IMAGE, $POSTGRES_IMAGE (Grafana: no offline source, profile 'grafana')"
