#!/usr/bin/env bash
# Makes the Dockerfile's base image locally, because no image registry is reachable here:
#   a Debian bookworm root file system from `debootstrap --variant=minbase`, plus this machine's Node 20
#   (/usr/bin/node and npm, from NodeSource), imported with `docker import` as reachgraph-node-base:20.
# Why the host's Node and not Debian's nodejs package: bookworm ships Node 18, and reachgraph needs >= 20.19
#   (package.json "engines"). NodeSource's node links only glibc, libstdc++ and libgcc, which minbase has
#   (apt needs them), and the rootfs is the host's own release, so the binary runs there unchanged.
# Cached: does nothing when the tag exists (pass --rebuild to make it again). Needs root (debootstrap, chroot).
# Usage: sudo bash scripts/build-base-image.sh [--rebuild]
set -euo pipefail

TAG=reachgraph-node-base:20
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DOCKER=${DOCKER:-/usr/bin/docker}
# The downloaded .debs, kept so a --rebuild does not fetch them again.
DEB_CACHE=/var/cache/reachgraph-base-debs
log() { printf 'build-base-image: %s\n' "$*" >&2; }

rebuild=false
[ "${1:-}" = "--rebuild" ] && rebuild=true

# One build at a time: parallel test runs would otherwise debootstrap twice and race on the tag.
exec 9>/tmp/reachgraph-base-image.lock
flock 9

if ! $rebuild && "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; then
  log "$TAG exists; keeping it (--rebuild to make it again)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  log "must run as root (debootstrap and chroot need it)"
  exit 2
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

node_bin=$(readlink -f "$(command -v node)")
node_version=$("$node_bin" --version)
case "$node_version" in
  v20.*) ;;
  *)
    log "the host's node is $node_version; the image needs Node 20 (>= 20.19)"
    exit 1
    ;;
esac
npm_dir=$(dirname "$(readlink -f "$(command -v npm)")")/..
npm_dir=$(readlink -f "$npm_dir")
[ -f "$npm_dir/bin/npm-cli.js" ] || {
  log "npm not found next to $(command -v npm)"
  exit 1
}

work=$(mktemp -d /tmp/reachgraph-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

log "debootstrap --variant=minbase $SUITE from $MIRROR"
mkdir -p "$DEB_CACHE"
debootstrap --variant=minbase --cache-dir="$DEB_CACHE" "$SUITE" "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
  tail -20 "$work/debootstrap.log" >&2
  exit 1
}

log "adding node $node_version ($node_bin) and npm ($npm_dir)"
install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
# Same release, so the same sonames: the loader fails right here if a library node links were missing.
env -i chroot "$root" /usr/local/bin/node -e 'process.exit(0)'
env -i chroot "$root" /usr/local/bin/node /usr/local/bin/npm --version >/dev/null

# Slim: nothing at run time reads these.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
  "$root"/usr/share/info/* "$root"/var/log/* "$root"/tmp/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'C.*' -exec rm -rf {} +

log "docker import as $TAG"
tar --numeric-owner -C "$root" -c . |
  "$DOCKER" import \
    --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_VERSION='"${node_version#v}" \
    --change 'CMD ["node"]' \
    --message "debootstrap --variant=minbase $SUITE + node $node_version" \
    - "$TAG" >/dev/null
log "made $TAG ($("$DOCKER" image inspect --format '{{.Size}}' "$TAG") bytes)"
