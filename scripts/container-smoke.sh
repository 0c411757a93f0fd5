#!/usr/bin/env bash
# Container smoke test: builds the image from the real Dockerfile and checks, printing timings:
#   1. with scripts/smoke/config.yaml mounted at /config/config.yaml: /healthz, the image's own HEALTHCHECK command,
#      an event published to topic "orders" reaches the built-in sink; SIGTERM stops it fast with exit code 0;
#   2. without a config: the built-in default (topics acs, events);
#   3. EVENTGRID_EMULATOR_TLS=auto: HEALTHCHECK over https, GET /admin/tls-cert, and a publish verified against
#      that certificate through NODE_EXTRA_CA_CERTS (delivered to the emulator's own https sink);
#   4. buildah only: node as PID 1 in a PID namespace (as under `docker run`) exits 0 on SIGTERM.
#
#   bash scripts/container-smoke.sh          # from the repository root (or anywhere)
#
# Engine: `docker` when `docker info` succeeds, else buildah (chroot isolation, host network). With buildah no image
# registry is needed: the base image is assembled from this machine's own node/npm (see build_local_base), and the
# Dockerfile's BASE_IMAGE build argument points at it. npm ci inside the build needs the npm registry.
# When neither engine is usable it tries `apt-get install buildah` (only under CI=true or SMOKE_INSTALL=1, as
# root), and otherwise prints "container smoke: SKIPPED ..." and exits 0.
#
# The last line is always "container smoke: PASSED|FAILED|SKIPPED ..."; the exit status is 0 unless FAILED.
# Environment: SMOKE_IMAGE (default eventgrid-emulator), SMOKE_ENGINE=docker|buildah (force one),
# SMOKE_STORAGE_DRIVER (buildah --storage-driver, default: buildah's own, vfs when that fails),
# SMOKE_REBUILD_BASE=1 (rebuild the local base even if present), SMOKE_BUILD_TIMEOUT (s, default 900), SMOKE_NODE
# (the node binary of the local base; default: this machine's).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

IMAGE=${SMOKE_IMAGE:-eventgrid-emulator}
CONFIG_FILE="$ROOT/scripts/smoke/config.yaml"
CLIENT="$ROOT/scripts/smoke/client.mjs"
NAME="eventgrid-emulator-smoke-$$"
BUILD_TIMEOUT=${SMOKE_BUILD_TIMEOUT:-900}
T0=$(date +%s%3N)

now_ms () { date +%s%3N; }
log () { printf '[smoke +%6.1fs] %s\n' "$(( $(now_ms) - T0 ))e-3" "$*"; }
FIGURES=()
figure () { FIGURES+=("$1"); log "$1"; }
skip () {
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!!! The container image was NOT built or tested: $*"
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "container smoke: SKIPPED ($*)"
  exit 0
}
fail () {
  echo "container smoke: FAILED: $*" >&2
  echo "container smoke: FAILED ($*)"
  exit 1
}

command -v node >/dev/null 2>&1 || fail "node is needed on this machine (for the HTTP checks and the local base image)"

# ------------------------------------------------------------------------------------------ choose an engine
ENGINE=${SMOKE_ENGINE:-}
if [ -z "$ENGINE" ]; then
  if command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1; then
    ENGINE=docker
  else
    if ! command -v buildah >/dev/null 2>&1; then
      if [ "${CI:-}" = "true" ] || [ "${SMOKE_INSTALL:-}" = "1" ]; then
        if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
          log "no docker engine and no buildah: installing buildah with apt-get"
          # Recommends (crun, fuse-overlayfs, netavark, ...) are not needed for chroot isolation.
          (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends buildah) >/tmp/container-smoke-apt.log 2>&1 \
            || log "apt-get install buildah failed (see /tmp/container-smoke-apt.log)"
        fi
      fi
    fi
    if command -v buildah >/dev/null 2>&1; then ENGINE=buildah; fi
  fi
fi
if [ -z "$ENGINE" ]; then
  if [ "${CI:-}" = "true" ] || [ "${SMOKE_INSTALL:-}" = "1" ]; then skip "no docker engine, and buildah is not installed and could not be (needs root and apt-get)"
  else skip "no docker engine and no buildah; install buildah, or run with SMOKE_INSTALL=1 as root to apt-get install it"; fi
fi
log "engine: $ENGINE ($($ENGINE --version 2>/dev/null | head -n 1))"

# ------------------------------------------------------------------------------------------ cleanup, always
RUN_PID=""           # the `buildah run` process we started (buildah engine)
BCTR=""              # buildah working container
DCTR=""              # docker container
BASE_DIR=""
descendants () {     # prints every descendant pid of $1 (from /proc, no procps needed; builtins only, no forks)
  local f line rest fields pid
  local -A kids=()
  for f in /proc/[0-9]*/stat; do
    read -r line 2>/dev/null <"$f" || continue
    rest=${line##*) }                 # the fields after "pid (comm) "; comm may contain spaces
    read -r -a fields <<<"$rest"      # fields[0]=state fields[1]=ppid
    pid=${line%% *}
    kids[${fields[1]}]+="$pid "
  done
  local queue=("$1") next
  while [ ${#queue[@]} -gt 0 ]; do
    next=${queue[0]}; queue=("${queue[@]:1}")
    for pid in ${kids[$next]:-}; do echo "$pid"; queue+=("$pid"); done
  done
}
stop_buildah_run () {
  if [ -n "$RUN_PID" ] && kill -0 "$RUN_PID" 2>/dev/null; then
    for p in $(descendants "$RUN_PID") "$RUN_PID"; do kill -KILL "$p" 2>/dev/null || true; done
    wait "$RUN_PID" 2>/dev/null || true
  fi
  RUN_PID=""
}
cleanup () {
  local status=$?
  set +e
  stop_buildah_run
  [ -n "$BCTR" ] && buildah "${BUILDAH_OPTS[@]}" rm "$BCTR" >/dev/null 2>&1
  [ -n "$DCTR" ] && docker rm -f -v "$DCTR" >/dev/null 2>&1
  [ -n "$BASE_DIR" ] && rm -rf "$BASE_DIR"
  rm -f "/tmp/$NAME.log"
  exit "$status"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

free_port () { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# ------------------------------------------------------------------------------------------ buildah helpers
BUILDAH_OPTS=()
choose_storage () {
  if [ -n "${SMOKE_STORAGE_DRIVER:-}" ]; then BUILDAH_OPTS=(--storage-driver "$SMOKE_STORAGE_DRIVER"); return; fi
  local probe
  if probe=$(buildah from scratch 2>/tmp/container-smoke-probe.log); then buildah rm "$probe" >/dev/null; return; fi
  log "buildah's default storage failed ($(tail -n 1 /tmp/container-smoke-probe.log)); using the vfs driver"
  BUILDAH_OPTS=(--storage-driver vfs --root /var/tmp/eventgrid-emulator-smoke-storage)
  probe=$(buildah "${BUILDAH_OPTS[@]}" from scratch) || fail "buildah cannot create a container even with the vfs driver"
  buildah "${BUILDAH_OPTS[@]}" rm "$probe" >/dev/null
}
b () { buildah "${BUILDAH_OPTS[@]}" "$@"; }

# Copies a file into the rootfs at the same path, following symlinks for the content.
put () { mkdir -p "$BASE_DIR/rootfs$(dirname "$1")"; cp -L "$1" "$BASE_DIR/rootfs$1"; }
# Copies an executable and every shared library ldd lists for it.
put_exe () {
  local exe=$1 lib
  put "$exe"
  for lib in $(ldd "$exe" 2>/dev/null | awk '/=> \// { print $3 } /^[ \t]*\// { print $1 }'); do put "$lib"; done
}

# A base image holding this machine's node and npm (no registry can be reached here), shaped like the official
# node images: node/npm on PATH, /bin/sh, a few coreutils, CA certificates, users root and node (uid 1000).
build_local_base () {
  local node_bin npm_dir node_version tag
  # SMOKE_NODE: another node binary for the base (e.g. Node 22, the official image's major, which has a compile
  # cache), with this machine's npm.
  node_bin=$(readlink -f "${SMOKE_NODE:-$(command -v node)}")
  [ -x "$node_bin" ] || fail "SMOKE_NODE=$SMOKE_NODE is not an executable node"
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")   # .../node_modules/npm
  [ -f "$npm_dir/package.json" ] || fail "cannot find npm's directory (got $npm_dir)"
  node_version=$("$node_bin" --version)
  tag="localhost/eventgrid-emulator-smoke-base:node-${node_version#v}"
  BASE_IMAGE=$tag
  if [ "${SMOKE_REBUILD_BASE:-}" != "1" ] && b inspect --type image "$tag" >/dev/null 2>&1; then
    log "local base image $tag already present (SMOKE_REBUILD_BASE=1 rebuilds it)"
    return
  fi
  local t=$(now_ms)
  BASE_DIR=$(mktemp -d /var/tmp/eventgrid-emulator-base.XXXXXX)
  local r="$BASE_DIR/rootfs"
  mkdir -p "$r/usr/bin" "$r/usr/lib" "$r/usr/local/bin" "$r/etc/ssl/certs" "$r/tmp" "$r/root" "$r/home/node" "$r/var/tmp"
  # Mirror the host's merged-/usr symlinks (Debian 12: /bin -> usr/bin, /lib -> usr/lib, /lib64 -> usr/lib64).
  local d
  for d in bin sbin lib lib64; do
    if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$r/$d"; mkdir -p "$r/$(readlink "/$d" | sed 's#^/##')"; else mkdir -p "$r/$d"; fi
  done
  chmod 1777 "$r/tmp" "$r/var/tmp"
  put_exe "$node_bin"
  [ "$node_bin" = /usr/local/bin/node ] || ln -sf "$node_bin" "$r/usr/local/bin/node"
  mkdir -p "$r/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$r/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$r/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$r/usr/local/bin/npx"
  # /bin/sh (npm runs scripts with it) and what the Dockerfile's RUN lines use.
  put_exe "$(readlink -f /bin/sh)"
  ln -sf "$(readlink -f /bin/sh)" "$r/bin/sh" 2>/dev/null || ln -sf "$(readlink -f /bin/sh)" "$r/usr/bin/sh"
  local tool
  for tool in mkdir chown rm cp ls cat env id; do put_exe "$(readlink -f "$(command -v "$tool")")"; done
  [ -f /etc/ssl/certs/ca-certificates.crt ] && cp -L /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/"
  # Same trust as this machine: if node here needs NODE_EXTRA_CA_CERTS (e.g. a TLS-intercepting egress proxy in
  # front of the npm registry), so does `npm ci` in the build.
  local extra_ca=()
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
    put "$NODE_EXTRA_CA_CERTS"
    extra_ca=(--env "NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS")
  fi
  [ -f /etc/nsswitch.conf ] && cp /etc/nsswitch.conf "$r/etc/"
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' >"$r/etc/group"
  chown 1000:1000 "$r/home/node"
  local ctr
  ctr=$(b from scratch)
  b copy "$ctr" "$r" / >/dev/null
  b config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env "NODE_VERSION=${node_version#v}" "${extra_ca[@]}" \
    --cmd node --label "org.opencontainers.image.description=local smoke-test base: this machine's node $node_version + npm $(npm --version)" "$ctr"
  b commit --rm -q "$ctr" "$tag" >/dev/null
  rm -rf "$BASE_DIR"; BASE_DIR=""
  figure "local base image $tag built in $(secs $(( $(now_ms) - t ))) ($(b images --format '{{.Size}}' "$tag" | head -n 1))"
}

# Reads the image config (Entrypoint, Cmd, User, ExposedPorts, Volumes, Healthcheck) as JSON.
image_config () {
  if [ "$ENGINE" = docker ]; then docker image inspect "$IMAGE" --format '{{json .Config}}'
  else b inspect --type image "$IMAGE" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);console.log(JSON.stringify(j.Docker?.config??j.OCIv1.config))})"
  fi
}
# Prints one field of the config JSON as shell words (one per line) or as plain text.
config_field () { node -e "const c=JSON.parse(process.argv[1]);const v=$2;if(Array.isArray(v))for(const x of v)console.log(x);else if(v!==undefined&&v!==null)console.log(typeof v==='string'?v:JSON.stringify(v))" "$1"; }

secs () { echo "$(( $1 / 1000 )).$(( $1 % 1000 / 100 ))s"; }

# ------------------------------------------------------------------------------------------ build
if [ "$ENGINE" = buildah ]; then
  choose_storage
  build_local_base
  t=$(now_ms)
  log "building $IMAGE from ./Dockerfile (BASE_IMAGE=$BASE_IMAGE)"
  timeout "$BUILD_TIMEOUT" buildah "${BUILDAH_OPTS[@]}" bud --isolation chroot --format docker --layers --force-rm --pull=never \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$IMAGE" -f Dockerfile . </dev/null \
    || fail "buildah bud failed (see the output above)"
  figure "image build (buildah bud, local base): $(secs $(( $(now_ms) - t )))"
  figure "image size: $(b images --format '{{.Size}}' "$IMAGE" | head -n 1) ($IMAGE, buildah images)"
else
  t=$(now_ms)
  log "building $IMAGE from ./Dockerfile"
  timeout "$BUILD_TIMEOUT" docker build -t "$IMAGE" . </dev/null || fail "docker build failed (see the output above)"
  figure "image build (docker build): $(secs $(( $(now_ms) - t )))"
  figure "image size: $(docker images --format '{{.Size}}' "$IMAGE" | head -n 1) ($IMAGE, docker images)"
fi

CONFIG_JSON=$(image_config)
[ "$(config_field "$CONFIG_JSON" 'c.User')" = node ] || fail "the image's USER is '$(config_field "$CONFIG_JSON" 'c.User')', expected node"
config_field "$CONFIG_JSON" 'Object.keys(c.ExposedPorts??{})' | grep -qx '4000/tcp' || fail "the image does not EXPOSE 4000"
config_field "$CONFIG_JSON" 'Object.keys(c.Volumes??{})' | grep -qx '/data' || fail "the image has no VOLUME /data"
mapfile -t ENTRY < <(config_field "$CONFIG_JSON" '[...(c.Entrypoint??[]),...(c.Cmd??[])]')
mapfile -t HEALTH < <(config_field "$CONFIG_JSON" 'c.Healthcheck?.Test')
[ "${HEALTH[0]:-}" = CMD ] || fail "the image has no exec-form HEALTHCHECK (got '${HEALTH[*]:-none}')"
HEALTH=("${HEALTH[@]:1}")
log "image: user node, EXPOSE 4000, VOLUME /data, command: ${ENTRY[*]}"

# ------------------------------------------------------------------------------------------ run
# start_container MOUNT(yes|no) [VAR=VALUE...]: starts the image (extra environment optional); sets URL, START_MS.
start_container () {
  local mount=() envs=() port scheme=http e
  [ "$1" = yes ] && mount=(-v "$CONFIG_FILE:/config/config.yaml:ro")
  shift
  for e in "$@"; do envs+=(-e "$e"); [ "$e" = EVENTGRID_EMULATOR_TLS=auto ] && scheme=https; done
  RUN_ENV=("${envs[@]}")
  port=$(free_port)
  URL="$scheme://127.0.0.1:$port"
  START_MS=$(now_ms)
  if [ "$ENGINE" = docker ]; then
    # The README's command, with a free host port instead of 4000.
    DCTR=$(docker run -d --name "$NAME" -p "$port:4000" "${mount[@]}" "${envs[@]}" "$IMAGE")
  else
    BCTR=$(b from --pull=never --name "$NAME" "$IMAGE")
    # chroot isolation shares the host network, so the port must be free on the host: only PORT differs.
    b run --isolation chroot "${mount[@]}" "${envs[@]}" -e "EVENTGRID_EMULATOR_PORT=$port" "$BCTR" -- "${ENTRY[@]}" </dev/null >"/tmp/$NAME.log" 2>&1 &
    RUN_PID=$!
  fi
}
container_logs () { if [ "$ENGINE" = docker ]; then docker logs "$DCTR" 2>&1 | tail -n 30; else tail -n 30 "/tmp/$NAME.log"; fi; }
healthcheck () {     # runs the image's own HEALTHCHECK command inside the running container
  if [ "$ENGINE" = docker ]; then docker exec "$DCTR" "${HEALTH[@]}"
  else b run --isolation chroot "${RUN_ENV[@]}" -e "EVENTGRID_EMULATOR_PORT=${URL##*:}" "$BCTR" -- "${HEALTH[@]}" </dev/null
  fi
}
# stop_container: SIGTERM, then waits; sets STOP_MS (until the engine reports the container gone), EXIT_MS
# (buildah: until the node process itself exited) and EXIT_CODE.
stop_container () {
  local t; t=$(now_ms)
  EXIT_MS=""
  if [ "$ENGINE" = docker ]; then
    docker stop -t 10 "$DCTR" >/dev/null
    EXIT_CODE=$(docker inspect -f '{{.State.ExitCode}}' "$DCTR")
    docker rm -v "$DCTR" >/dev/null; DCTR=""
  else
    local node_pid p
    for p in $(descendants "$RUN_PID"); do
      [ "$(cat "/proc/$p/comm" 2>/dev/null)" = node ] && node_pid=$p
    done
    [ -n "${node_pid:-}" ] || fail "cannot find the container's node process under buildah run (pid $RUN_PID)"
    local uid; uid=$(awk '/^Uid:/ { print $2 }' "/proc/$node_pid/status")
    [ "$uid" = 1000 ] || fail "the container's node process runs as uid $uid, expected 1000 (node)"
    t=$(now_ms)
    kill -TERM "$node_pid"
    local waited=0
    while kill -0 "$node_pid" 2>/dev/null && [ $waited -lt 1000 ]; do sleep 0.01; waited=$((waited + 1)); done
    kill -0 "$node_pid" 2>/dev/null && { container_logs; fail "the container's node process did not exit within 10 s of SIGTERM"; }
    EXIT_MS=$(( $(now_ms) - t ))
    EXIT_CODE=0
    wait "$RUN_PID" || EXIT_CODE=$?
    RUN_PID=""
    b rm "$BCTR" >/dev/null; BCTR=""
  fi
  STOP_MS=$(( $(now_ms) - t ))
  [ "$EXIT_CODE" = 0 ] || { container_logs; fail "the container exited with code $EXIT_CODE after SIGTERM, expected 0"; }
}
stop_figure () {
  if [ -n "$EXIT_MS" ]; then figure "stop: SIGTERM -> node exited 0 in $EXIT_MS ms ($STOP_MS ms until buildah run returned)"
  else figure "stop: docker stop (SIGTERM) -> exited 0 in $STOP_MS ms"; fi
}

# 1. The README's `docker run` with the smoke config mounted.
log "run 1: $IMAGE with $CONFIG_FILE mounted at /config/config.yaml"
start_container yes
COLD=$(node "$CLIENT" wait-healthy "$URL" "$START_MS" 30000 "$RUN_PID") || { container_logs; fail "the container never became healthy"; }
figure "cold start to first healthy /healthz: ${COLD} ms ($([ "$ENGINE" = docker ] && echo 'docker run' || echo 'buildah from + buildah run') -> GET /healthz 200)"
healthcheck || { container_logs; fail "the image's HEALTHCHECK command failed against a running container"; }
log "the image's HEALTHCHECK command passed"
node "$CLIENT" topics "$URL" orders || { container_logs; fail "the mounted config was not used"; }
log "$(node "$CLIENT" publish "$URL" smoke-key)" || { container_logs; fail "publish -> sink failed"; }
stop_container
stop_figure

# 2. No config mounted: the built-in default.
log "run 2: $IMAGE without a config (built-in default)"
start_container no
COLD2=$(node "$CLIENT" wait-healthy "$URL" "$START_MS" 30000 "$RUN_PID") || { container_logs; fail "the container never became healthy without a config"; }
figure "cold start (second run, no config): ${COLD2} ms"
node "$CLIENT" topics "$URL" acs events || { container_logs; fail "the built-in default config was not used"; }
stop_container

# 3. HTTPS: EVENTGRID_EMULATOR_TLS=auto; the client trusts GET /admin/tls-cert through NODE_EXTRA_CA_CERTS.
log "run 3: $IMAGE with EVENTGRID_EMULATOR_TLS=auto"
start_container yes EVENTGRID_EMULATOR_TLS=auto
node "$CLIENT" wait-healthy "$URL" "$START_MS" 30000 "$RUN_PID" >/dev/null || { container_logs; fail "the container never became healthy with TLS"; }
healthcheck || { container_logs; fail "the image's HEALTHCHECK command failed over https"; }
CERT_FILE=$(mktemp /tmp/eventgrid-emulator-smoke-cert.XXXXXX)
node "$CLIENT" tls-cert "$URL" "$CERT_FILE" || { container_logs; fail "GET /admin/tls-cert failed"; }
log "$(NODE_EXTRA_CA_CERTS="$CERT_FILE" node "$CLIENT" publish "$URL" smoke-key)" || { container_logs; rm -f "$CERT_FILE"; fail "publish -> sink over verified https failed"; }
rm -f "$CERT_FILE"
stop_container

# 4. buildah only: node as PID 1, as under `docker run` (chroot isolation has no PID namespace, so this step uses
# unshare + chroot on the image's own filesystem, with the image's user, environment and command).
if [ "$ENGINE" = buildah ]; then
  if command -v chroot >/dev/null 2>&1 && unshare --pid --fork --mount --propagation private true 2>/dev/null; then
    log "run 4: node as PID 1 in a PID namespace (what docker stop signals)"
    BCTR=$(b from --pull=never --name "$NAME" "$IMAGE")
    MNT=$(b mount "$BCTR")
    figure "the emulator's own files in the image: /app $(du -sh "$MNT/app" | cut -f1) (the bundled CLI, dist/bundle: $(du -sh "$MNT/app/dist" | cut -f1); no node_modules)"
    # Filled at build time on Node >= 22.1 (scripts/warm-compile-cache.mjs); empty on a Node 20 base such as the local one.
    [ -d "$MNT/app/.node-compile-cache" ] || fail "the image has no /app/.node-compile-cache (NODE_COMPILE_CACHE)"
    # Node keeps one cache per user id (the directory's name ends with it): it must be the node user's, uid 1000.
    figure "compile cache in the image: $(find "$MNT/app/.node-compile-cache" -type f | wc -l) files, $(du -sh "$MNT/app/.node-compile-cache" | cut -f1) (none on a Node 20 base) $(cd "$MNT/app/.node-compile-cache" && ls)"
    if find "$MNT/app/.node-compile-cache" -mindepth 1 -maxdepth 1 | grep -qv -- '-1000$'; then
      fail "the compile cache was filled by another user than node (uid 1000): $(ls "$MNT/app/.node-compile-cache")"
    fi
    mapfile -t IMAGE_ENV < <(config_field "$CONFIG_JSON" 'c.Env')
    PORT4=$(free_port)
    WORKDIR=$(config_field "$CONFIG_JSON" 'c.WorkingDir')
    env -i "${IMAGE_ENV[@]}" "EVENTGRID_EMULATOR_PORT=$PORT4" HOME=/home/node \
      unshare --pid --fork --mount --propagation private \
      /bin/sh -c 'mkdir -p "$1/proc" "$1/dev" && mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" || exit 97
        mnt=$1; wd=$2; shift 2
        exec chroot --userspec=1000:1000 "$mnt" /bin/sh -c "cd \"$wd\" && exec \"\$@\"" sh "$@"' \
      sh "$MNT" "${WORKDIR:-/app}" "${ENTRY[@]}" </dev/null >"/tmp/$NAME.log" 2>&1 &
    RUN_PID=$!
    START_MS=$(now_ms)
    COLD4=$(node "$CLIENT" wait-healthy "http://127.0.0.1:$PORT4" "$START_MS" 30000 "$RUN_PID") || { container_logs; fail "the PID-1 run never became healthy"; }
    figure "process start -> healthy /healthz, no engine overhead (PID-1 run): $COLD4 ms"
    PID1=""
    for p in $(descendants "$RUN_PID"); do [ "$(cat "/proc/$p/comm" 2>/dev/null)" = node ] && PID1=$p; done
    [ -n "$PID1" ] || { container_logs; fail "cannot find node in the PID-1 run"; }
    NSPID=$(awk '/^NSpid:/ { print $NF }' "/proc/$PID1/status" 2>/dev/null)
    [ "$NSPID" = 1 ] || { container_logs; fail "node is not PID 1 in its namespace (NSpid $NSPID)"; }
    t=$(now_ms)
    kill -TERM "$PID1"
    EXIT_CODE=0
    wait "$RUN_PID" || EXIT_CODE=$?
    RUN_PID=""
    [ "$EXIT_CODE" = 0 ] || { container_logs; fail "node as PID 1 exited with $EXIT_CODE after SIGTERM, expected 0"; }
    figure "stop as PID 1: SIGTERM -> exited 0 in $(( $(now_ms) - t )) ms"
    b umount "$BCTR" >/dev/null; b rm "$BCTR" >/dev/null; BCTR=""
  else
    log "run 4 skipped: unshare --pid --mount or chroot not usable here (PID-1 signal handling not checked)"
  fi
fi

echo "container smoke figures ($ENGINE, $(node --version) on the host, $(nproc) cores):"
for f in "${FIGURES[@]}"; do echo "  $f"; done
echo "container smoke: PASSED"
