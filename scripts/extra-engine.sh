#!/usr/bin/env bash
# A second, disposable, real Docker Engine on this machine (docs: multi-node-swarm.md), for fault tests and
# multi-node swarms. The main dockerd is never touched.
#
#   extra-engine.sh start NAME [K]   start node NAME (idempotent); K in 2..254 is its address 10.232.0.K on the
#                                    node bridge (default: the first free one). Prints the socket URL.
#   extra-engine.sh kill NAME        SIGKILL its dockerd (a crash), printing when (Unix ms); `start NAME` brings it
#                                    back on the same data
#   extra-engine.sh stop NAME        stop it and remove everything it made (idempotent)
#   extra-engine.sh list             the nodes that exist: NAME K SOCKET
#   extra-engine.sh bridge           make the node bridge (the main engine advertises its swarm on 10.232.0.1)
#
# Node NAME: dockerd in network namespace rgx-NAME (entered with nsenter --net, never `ip netns exec`, which
# remounts /sys and hides the cgroups) and its own UTS namespace (hostname NAME), on unix:///run/docker-NAME.sock,
# with its own data root, exec root, pidfile, --bip 10.240.K.1/24 and cgroup parent. Its eth0 is a veth on the
# host bridge rgnodes0 (10.232.0.1/24: one L2 segment, which cross-node VXLAN needs). The netns has no default
# route and the egress guard (DOCKER-USER -o uplink -j DROP) stays, so nothing it runs can leave the machine.
set -euo pipefail

BRIDGE=rgnodes0
BRIDGE_CIDR=10.232.0.1/24
NODE_NET=10.232.0
BIP_NET=10.240
STATE=/run/reachgraph-nodes
IMAGE=reachgraph-busybox:latest
DOCKER=/usr/bin/docker

log() { printf 'extra-engine: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 2
}
usage() { die "usage: extra-engine.sh start NAME [K] | kill NAME | stop NAME | list | bridge"; }

[ "$(id -u)" = 0 ] || die "must run as root (it creates namespaces, links and a dockerd)"
for tool in ip nsenter unshare flock iptables dockerd; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing; run scripts/provision-engine.sh"
done

check_name() {
  # Interface names hold 15 bytes: "rgn-" + NAME must fit.
  [[ "$1" =~ ^[a-z][a-z0-9-]{0,10}$ ]] ||
    die "node name \"$1\" must be 1-11 characters of a-z, 0-9 and -, starting with a letter"
}

paths() {
  NS=rgx-$1
  VETH=rgn-$1
  SOCK=/run/docker-$1.sock
  DATA=/var/lib/docker-$1
  EXEC=/run/docker-$1
  PIDFILE=/run/docker-$1.pid
  LOGFILE=/tmp/docker-$1.log
  CGROUP=reachgraph-$1
}

node_k() { cat "$STATE/$1" 2>/dev/null || true; }

free_k() {
  local k
  for k in $(seq 2 254); do
    grep -qx "$k" "$STATE"/* 2>/dev/null || {
      echo "$k"
      return
    }
  done
  die "no free node address left on $BRIDGE"
}

# A killed dockerd can linger as a zombie until its reaper gets to it: that is dead too.
alive() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]
}
answers() { timeout 5 "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1; }

ensure_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  # Docker's FORWARD policy is DROP and bridged frames pass FORWARD: let the nodes talk to each other.
  iptables -N DOCKER-USER 2>/dev/null || true
  iptables -C DOCKER-USER -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null ||
    iptables -I DOCKER-USER -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
  # The nodes' container subnets must never be routed out of the machine.
  ip route replace blackhole "$BIP_NET.0.0/16"
}

launch() {
  mkdir -p "$DATA" "$EXEC"
  # Its own identity: by default every dockerd reads /etc/docker/key.json, whose key is the engine ID in /info,
  # and engines sharing it cannot be told apart. (Engine 20.10 takes this path from its config file only.)
  printf '{"deprecated-key-path": "%s/key.json"}\n' "$DATA" >"$DATA/daemon.json"
  rm -f "$SOCK" "$PIDFILE"
  setsid nsenter --net="/run/netns/$NS" unshare --uts sh -c 'hostname "$0" && exec "$@"' "$1" \
    dockerd --host "unix://$SOCK" --data-root "$DATA" --exec-root "$EXEC" --pidfile "$PIDFILE" \
    --bip "$BIP_NET.$2.1/24" --cgroup-parent "/$CGROUP" --config-file "$DATA/daemon.json" >>"$LOGFILE" 2>&1 </dev/null 9>&- &
  # Until it writes its pidfile, `alive` would launch another.
  for _ in $(seq 1 100); do
    [ -s "$PIDFILE" ] && return 0
    sleep 0.1
  done
}

start() {
  local name=$1 k=${2:-}
  paths "$name"
  mkdir -p "$STATE"
  local known
  known=$(node_k "$name")
  if [ -n "$known" ] && [ -n "$k" ] && [ "$known" != "$k" ]; then die "node $name already exists as K=$known"; fi
  k=${known:-${k:-$(free_k)}}
  [[ "$k" =~ ^[0-9]+$ ]] && [ "$k" -ge 2 ] && [ "$k" -le 254 ] || die "K \"$k\" must be a number in 2..254"
  for other in "$STATE"/*; do
    [ -f "$other" ] && [ "$(basename "$other")" != "$name" ] && [ "$(cat "$other")" = "$k" ] &&
      die "K=$k is taken by node $(basename "$other")"
  done
  echo "$k" >"$STATE/$name"

  ensure_bridge
  [ -e "/run/netns/$NS" ] || ip netns add "$NS"
  if ! ip link show "$VETH" >/dev/null 2>&1; then
    ip link add "$VETH" type veth peer name "rgp-$name"
    ip link set "rgp-$name" netns "$NS"
    ip -n "$NS" link set "rgp-$name" name eth0
  fi
  ip link set "$VETH" master "$BRIDGE" up
  ip -n "$NS" link set lo up
  ip -n "$NS" addr replace "$NODE_NET.$k/24" dev eth0
  ip -n "$NS" link set eth0 up

  # After a SIGKILL with containers running, the first dockerd can give up waiting for its containerd (which
  # reattaches the orphaned shims) and exit: start it again, a few times.
  local launches=0
  for _ in $(seq 1 240); do
    answers && break
    if ! alive; then
      [ "$launches" -lt 3 ] || break
      launches=$((launches + 1))
      launch "$name" "$k"
    fi
    sleep 0.5
  done
  answers || {
    tail -n 20 "$LOGFILE" >&2
    die "dockerd of node $name did not answer on unix://$SOCK; see $LOGFILE"
  }
  if ! "$DOCKER" -H "unix://$SOCK" image inspect "$IMAGE" >/dev/null 2>&1; then
    "$DOCKER" save "$IMAGE" | "$DOCKER" -H "unix://$SOCK" load >/dev/null
  fi
  "$DOCKER" -H "unix://$SOCK" image inspect busybox:latest >/dev/null 2>&1 ||
    "$DOCKER" -H "unix://$SOCK" tag "$IMAGE" busybox:latest
  echo "unix://$SOCK"
}

kill_node() {
  paths "$1"
  # Prints when the signal went out (Unix ms), so that a test can time what follows from the crash itself.
  if alive; then
    date +%s%3N
    kill -KILL "$(cat "$PIDFILE")"
  fi
  # A killed dockerd leaves its pidfile; wait until it is really gone so that `start` restarts it, and until
  # its containerd (which dies with it) is gone too: a dockerd started meanwhile cannot start its own.
  for _ in $(seq 1 50); do
    alive && sleep 0.1
  done
  alive && die "dockerd of node $1 survived SIGKILL"
  PIDFILE=$EXEC/containerd/containerd.pid
  for _ in $(seq 1 50); do
    alive && sleep 0.1
  done
  return 0
}

stop() {
  local name=$1
  paths "$name"
  # The node is disposable: its containers are killed, not given a stop timeout.
  if answers; then
    local ids
    ids=$("$DOCKER" -H "unix://$SOCK" ps -aq)
    [ -z "$ids" ] || "$DOCKER" -H "unix://$SOCK" rm --force $ids >/dev/null 2>&1 || true
  fi
  if alive; then
    kill -TERM "$(cat "$PIDFILE")"
    for _ in $(seq 1 50); do
      alive || break
      sleep 0.2
    done
  fi
  # Whatever is left belongs to the node: processes in its cgroups (containers), in its network namespace
  # (dockerd, containerd) or talking to its containerd (shims).
  local pids
  for _ in $(seq 1 50); do
    pids=$(
      {
        find /sys/fs/cgroup -path "*/$CGROUP/*" -name cgroup.procs -exec cat {} + 2>/dev/null || true
        [ ! -e "/run/netns/$NS" ] || ip netns pids "$NS" 2>/dev/null || true
        pgrep -f -- "-address $EXEC/containerd/" || true
      } | sort -u
    )
    [ -n "$pids" ] || break
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  # Mounts of its containers (overlay, shm, netns files), deepest first.
  awk -v data="$DATA" -v exec_root="$EXEC" '$2 ~ "^" data "(/|$)" || $2 ~ "^" exec_root "(/|$)" {print $2}' \
    /proc/mounts | sort -r | while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
  rm -rf "$DATA" "$EXEC" "$SOCK" "$PIDFILE" "$LOGFILE"
  find /sys/fs/cgroup -depth -type d -path "*/$CGROUP*" -exec rmdir {} \; 2>/dev/null || true
  ip link del "$VETH" 2>/dev/null || true
  [ -e "/run/netns/$NS" ] && ip netns del "$NS"
  rm -f "$STATE/$name"
  # The bridge stays: the main engine's swarm is advertised on it (scripts/provision-engine.sh).
}

list() {
  local file
  for file in "$STATE"/*; do
    [ -f "$file" ] || continue
    echo "$(basename "$file") $(cat "$file") unix:///run/docker-$(basename "$file").sock"
  done
}

command=${1:-}
[ -n "$command" ] || usage
# One change at a time: parallel test files may start and stop nodes concurrently.
mkdir -p "$STATE"
exec 9>/run/reachgraph-nodes.lock
flock 9
case "$command" in
  start)
    [ $# -ge 2 ] && [ $# -le 3 ] || usage
    check_name "$2"
    start "$2" "${3:-}"
    ;;
  kill)
    [ $# -eq 2 ] || usage
    check_name "$2"
    kill_node "$2"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    check_name "$2"
    stop "$2"
    ;;
  list) list ;;
  bridge)
    [ $# -eq 1 ] || usage
    ensure_bridge
    ;;
  *) usage ;;
esac
