#!/usr/bin/env bash
# Provisions a real Docker Engine on a fresh Debian machine for reachgraph's tests and benchmarks.
# Idempotent: every step checks before it acts. Needs root (apt-get, dockerd, iptables).
#   - Debian's docker.io, busybox-static, iptables, chromium (browser tests) and graphviz (export checks)
#   - iproute2 and util-linux (nsenter, unshare, flock) for the extra engines of scripts/extra-engine.sh
#   - Debian's docker-compose (1.29) for the compose prediction tests (test/engine/compose.test.ts)
#   - debootstrap, for the container image's locally made base (scripts/build-base-image.sh)
#   - dockerd on unix:///var/run/docker.sock
#   - a local busybox image, since no registry is reachable: reachgraph-busybox:latest, also tagged busybox:latest
#   - an egress guard so that no test traffic can leave this machine
#   - a three-node swarm: this engine the manager, node2 and node3 workers (scripts/provision-swarm.sh)
set -euo pipefail

log() { printf 'provision: %s\n' "$*" >&2; }
DOCKER=/usr/bin/docker
SOCK=/var/run/docker.sock

if [ "$(id -u)" != 0 ]; then
  log "must run as root (it installs packages and starts dockerd)"
  exit 2
fi

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
# scripts/extra-engine.sh (fault tests, multi-node swarms): nsenter, unshare and flock.
for tool in nsenter unshare flock; do command -v "$tool" >/dev/null 2>&1 || need+=(util-linux); done
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
# test/server/cli/engines.test.ts: ssh contexts against a real sshd on 127.0.0.1, TLS contexts with openssl's certs.
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! timeout 5 "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1; then
  log "starting dockerd"
  setsid dockerd --host "unix://$SOCK" >/tmp/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    timeout 5 "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1 && break
    sleep 1
  done
  timeout 5 "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1 || { log "dockerd did not come up; see /tmp/dockerd.log"; tail -n 20 /tmp/dockerd.log >&2; exit 1; }
fi

# Egress guard: containers' traffic must never leave through the default-route interface.
uplink=$(ip -4 route show default | awk '{for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1)}' | head -n 1)
if [ -n "$uplink" ]; then
  iptables -N DOCKER-USER 2>/dev/null || true
  if ! iptables -C DOCKER-USER -o "$uplink" -j DROP 2>/dev/null; then
    iptables -I DOCKER-USER -o "$uplink" -j DROP
    log "egress guard installed on $uplink"
  fi
fi

# Local busybox image with the applets the probes and scenarios use.
if ! "$DOCKER" image inspect reachgraph-busybox:latest >/dev/null 2>&1; then
  log "importing busybox image"
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/www"
  cp /bin/busybox "$root/bin/busybox"
  for applet in sh ping ping6 nc wget httpd nslookup sleep ip cat echo ls timeout true mkdir hostname; do
    ln -s busybox "$root/bin/$applet"
  done
  tar -C "$root" -c . | "$DOCKER" import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - reachgraph-busybox:latest >/dev/null
  rm -rf "$root"
fi
"$DOCKER" image inspect busybox:latest >/dev/null 2>&1 || "$DOCKER" tag reachgraph-busybox:latest busybox:latest
# The swarm manager (docs: multi-node-swarm.md): this engine, advertised on the node bridge that the extra
# engines of scripts/extra-engine.sh join, so that a test can add workers. Overlay tests need a swarm anyway.
MANAGER_ADDR=10.232.0.1
bash "$(dirname "$0")/extra-engine.sh" bridge
swarm=$("$DOCKER" info --format '{{.Swarm.LocalNodeState}} {{.Swarm.NodeAddr}}')
if [ "$swarm" != "active $MANAGER_ADDR" ] && [ "${swarm%% *}" != inactive ]; then
  # Advertised elsewhere (an older provisioning): leave, and restart dockerd, since leaving a swarm stops the
  # embedded DNS of every container until dockerd restarts (multi-node-swarm.md).
  log "swarm advertised at ${swarm#* }: leaving it and restarting dockerd"
  "$DOCKER" swarm leave --force >/dev/null
  kill -TERM "$(cat /var/run/docker.pid)"
  for _ in $(seq 1 100); do
    [ -e /var/run/docker.pid ] || break
    sleep 0.2
  done
  setsid dockerd --host "unix://$SOCK" >>/tmp/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    timeout 5 "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1 && break
    sleep 1
  done
fi
if [ "$("$DOCKER" info --format '{{.Swarm.LocalNodeState}}')" = inactive ]; then
  "$DOCKER" swarm init --advertise-addr "$MANAGER_ADDR" --listen-addr "$MANAGER_ADDR:2377" >/dev/null
  log "swarm manager on $MANAGER_ADDR"
fi
# The workers node2 and node3 that the fleet tests run on (idempotent; a healthy swarm is left untouched).
bash "$(dirname "$0")/provision-swarm.sh"
log "engine ready: $("$DOCKER" version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
