#!/usr/bin/env bash
# The three-node swarm the fleet tests run on (docs: multi-node-swarm.md): the main engine is the manager
# (scripts/provision-engine.sh, advertised on 10.232.0.1), and each NAME[:K] (default: node2:2 node3:3) is an
# extra engine of scripts/extra-engine.sh at 10.232.0.K, joined as a worker.
#   provision-swarm.sh [NAME[:K]...]
# Idempotent, and a healthy swarm is left untouched. It repairs what a machine can be found in: a node's dockerd
# dead (started again), a worker pending, in error or in another swarm (left with --force and joined again), the
# manager listing Down nodes with the worker's hostname (removed), a node sharing the main engine's ID (restarted
# with its own key when RESTART_SHARED_ID=1, else a warning), and then waits until every worker is Ready.
# The main engine never leaves its swarm: leaving kills the embedded DNS until dockerd restarts.
# Prints one line per action.
set -euo pipefail

DIR=$(cd "$(dirname "$0")" && pwd)
DOCKER=/usr/bin/docker
MANAGER_ADDR=10.232.0.1
NODE_NET=10.232.0
STATE=/run/reachgraph-nodes
READY_TIMEOUT=${SWARM_READY_TIMEOUT:-120}

log() { printf 'provision-swarm: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

[ "$(id -u)" = 0 ] || die "must run as root (scripts/extra-engine.sh creates namespaces and a dockerd)"
manager=$("$DOCKER" info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.NodeAddr}}')
[ "$manager" = "active true $MANAGER_ADDR" ] ||
  die "the main engine is no swarm manager on $MANAGER_ADDR ($manager); run scripts/provision-engine.sh first"

# The state the worker's own engine reports: LocalNodeState NodeAddr NodeID.
local_state() { "$DOCKER" -H "$1" info --format '{{.Swarm.LocalNodeState}} {{.Swarm.NodeAddr}} {{.Swarm.NodeID}}'; }
# The manager's view of a node ID: its state (ready, down, unknown…), or nothing when it does not know it.
manager_state() { [ -n "$1" ] && "$DOCKER" node inspect --format '{{.Status.State}}' "$1" 2>/dev/null || true; }

join() {
  local name=$1 sock=$2 addr=$3 token
  token=$("$DOCKER" swarm join-token -q worker)
  "$DOCKER" -H "$sock" swarm join --advertise-addr "$addr" --token "$token" "$MANAGER_ADDR:2377" >/dev/null
  log "$name: joined as a worker advertised on $addr"
}

ensure_node() {
  local name=${1%%:*} k=${1#*:} sock state addr id
  [ "$k" != "$1" ] || k=
  sock=unix:///run/docker-$name.sock
  if ! [ -f "$STATE/$name" ] || ! timeout 5 "$DOCKER" -H "$sock" version >/dev/null 2>&1; then
    bash "$DIR/extra-engine.sh" start "$name" $k >/dev/null
    log "$name: dockerd started"
  fi
  k=$(cat "$STATE/$name")
  addr=$NODE_NET.$k
  # Its own engine ID: a node started before extra-engine.sh gave each node its own key.json read the main
  # engine's, and engines with one ID cannot be told apart. Restarting stops every container on the node (others'
  # work on a shared machine), so it is done only when asked (RESTART_SHARED_ID=1); a fresh machine never needs it.
  if [ "$("$DOCKER" -H "$sock" info --format '{{.ID}}')" = "$("$DOCKER" info --format '{{.ID}}')" ]; then
    if [ "${RESTART_SHARED_ID:-}" = 1 ]; then
      rm -f "/var/lib/docker-$name/key.json" # its data root (extra-engine.sh); a fresh key is made at start
      bash "$DIR/extra-engine.sh" kill "$name" >/dev/null
      bash "$DIR/extra-engine.sh" start "$name" >/dev/null
      log "$name: dockerd restarted with its own engine ID (it had the main engine's)"
    else
      log "$name: WARNING: has the main engine's engine ID; RESTART_SHARED_ID=1 bash $0 $1 restarts it (stopping its containers)"
    fi
  fi

  read -r state _ _ <<<"$(local_state "$sock")"
  # A restarted worker comes back pending while it reaches the manager again; give it a moment before repairing.
  for _ in $(seq 1 20); do
    [ "$state" = pending ] || break
    sleep 0.5
    read -r state _ _ <<<"$(local_state "$sock")"
  done
  read -r state node_addr id <<<"$(local_state "$sock")"
  case "$state" in
    inactive) join "$name" "$sock" "$addr" ;;
    active)
      # Active, but in this swarm and on its address? A node that rejoined an older swarm is unknown here.
      if [ "${node_addr:-}" != "$addr" ] || [ -z "$(manager_state "$id")" ]; then
        "$DOCKER" -H "$sock" swarm leave --force >/dev/null
        log "$name: left a swarm this manager does not know it in (advertised ${node_addr:-nowhere})"
        join "$name" "$sock" "$addr"
      fi
      ;;
    *)
      "$DOCKER" -H "$sock" swarm leave --force >/dev/null
      log "$name: left its swarm (it was $state)"
      join "$name" "$sock" "$addr"
      ;;
  esac
  read -r _ _ id <<<"$(local_state "$sock")"

  # Registrations of this hostname that are not the node's own: what earlier joins of this engine left behind.
  # They show Down, or still Ready for the seconds until the manager misses their heartbeats.
  local old shown
  while read -r old shown; do
    [ -n "$old" ] || continue
    "$DOCKER" node rm --force "$old" >/dev/null
    log "$name: removed the manager's stale node $old (shown $shown)"
  done < <("$DOCKER" node ls --format '{{.ID}} {{.Hostname}} {{.Status}}' |
    awk -v host="$name" -v id="$id" '$2 == host && $1 != id {print $1, $3}')

  local deadline=$((SECONDS + READY_TIMEOUT)) waited=0 seen
  while seen=$(manager_state "$id") && [ "$seen" != ready ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "$name ($id) is not Ready on the manager after ${READY_TIMEOUT}s: ${seen:-unknown}"
    waited=1
    sleep 0.5
  done
  if [ "$waited" = 1 ]; then log "$name: Ready on the manager"; fi
}

specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=(node2:2 node3:3)
for spec in "${specs[@]}"; do ensure_node "$spec"; done
log "swarm ready: manager $MANAGER_ADDR, workers ${specs[*]%%:*}"
