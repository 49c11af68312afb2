#!/usr/bin/env bash
# The runtime install check: what the Docker image's runtime stage does, without a Docker engine.
# Build, pack, unpack the tarball in a fresh directory, add the lockfile and `npm ci --omit=dev` there (as the
# Dockerfile does: package.json + package-lock.json, npm ci --omit=dev, then dist), and run the installed
# program from that directory only: `--help`, the simulator, and the bridge against it and a local broker.
# A runtime dependency left in devDependencies is missing there, so the program fails to start and so does this.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$SECONDS

WORK=$(mktemp -d "${TMPDIR:-/tmp}/t2m-runtime-XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "runtimeInstallCheck: FAIL: $*" >&2
  for f in "$WORK"/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 40 "$f" >&2; }; done
  exit 1
}

# Wait up to $2 seconds for the regex $3 in file $1.
wait_for() {
  local file=$1 seconds=$2 re=$3 i
  for ((i = 0; i < seconds * 10; i++)); do
    grep -Eq "$re" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

echo "== build"
npm run build --silent

echo "== pack"
mkdir -p "$WORK/pack"
npm pack --silent --pack-destination "$WORK/pack" >/dev/null
TARBALL=$(ls "$WORK"/pack/*.tgz)
PACKED_KB=$(( $(wc -c <"$TARBALL") / 1024 ))
echo "   $(basename "$TARBALL"): ${PACKED_KB} KiB, $(tar -tzf "$TARBALL" | wc -l) files"

echo "== install like the runtime stage (package.json + package-lock.json, npm ci --omit=dev, dist)"
APP="$WORK/app"
mkdir -p "$APP"
tar -xzf "$TARBALL" -C "$APP" --strip-components=1
cp "$ROOT/package-lock.json" "$APP/"
T0=$SECONDS
(cd "$APP" && NODE_ENV=production npm ci --omit=dev --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null) ||
  fail "npm ci --omit=dev"
echo "   installed in $((SECONDS - T0)) s; node_modules $(du -sh "$APP/node_modules" | cut -f1)"
[ ! -e "$APP/node_modules/typescript" ] || fail "devDependencies were installed (typescript present)"

cd "$APP"
export NODE_ENV=production

echo "== node dist/main.js check --help"
if node dist/main.js check --help >"$WORK/help.log" 2>&1; then
  echo "   ok (check)"
elif grep -q 'unknown command "check"' "$WORK/help.log"; then
  node dist/main.js run --help >"$WORK/help.log" 2>&1 || fail "run --help"
  echo "   ok (run; no check command yet)"
else
  fail "check --help"
fi

echo "== simulator + broker + bridge from the install"
node dist/main.js simulator --profile small >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!
PIDS+=("$SIM_PID")
wait_for "$WORK/simulator.log" 15 'listening on ws://' || fail "the simulator did not start"
SIM_URL=$(grep -Eo 'ws://[^ ]+' "$WORK/simulator.log" | head -n 1)
SIM_KEY=$(grep -Eo 'API key [^ ]+' "$WORK/simulator.log" | head -n 1 | cut -d' ' -f3)

MQTT_PORT=$(free_port)
if command -v mosquitto >/dev/null; then
  mosquitto -p "$MQTT_PORT" >"$WORK/broker.log" 2>&1 &
else
  # No mosquitto: aedes, itself a runtime dependency, from the same install.
  node --input-type=module -e "
    import { Aedes } from 'aedes'; import { createServer } from 'node:net';
    const a = await Aedes.createBroker(); createServer(a.handle).listen($MQTT_PORT, '127.0.0.1');" \
    >"$WORK/broker.log" 2>&1 &
fi
BROKER_PID=$!
PIDS+=("$BROKER_PID")
for ((i = 0; i < 50; i++)); do
  node -e "require('net').connect($MQTT_PORT,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" &&
    break
  sleep 0.1
done

TRUENAS_URL=$SIM_URL TRUENAS_API_KEY=$SIM_KEY MQTT_URL="mqtt://127.0.0.1:$MQTT_PORT" HEALTH_PORT=0 \
  LOG_LEVEL=info LOG_FORMAT=pretty node dist/main.js run >"$WORK/bridge.log" 2>&1 &
BRIDGE_PID=$!
PIDS+=("$BRIDGE_PID")
wait_for "$WORK/bridge.log" 15 'truenas session ready' || fail "no \"truenas session ready\""
wait_for "$WORK/bridge.log" 15 'discovery published' || fail "no \"discovery published\""
sleep 1 # a few more groups and state documents, then a clean stop

kill -TERM "$BRIDGE_PID"
BRIDGE_RC=0
wait "$BRIDGE_PID" || BRIDGE_RC=$?
[ "$BRIDGE_RC" -eq 0 ] || fail "the bridge exited $BRIDGE_RC on SIGTERM"
kill -TERM "$SIM_PID"
SIM_RC=0
wait "$SIM_PID" || SIM_RC=$?
[ "$SIM_RC" -eq 0 ] || fail "the simulator exited $SIM_RC on SIGTERM"
kill -TERM "$BROKER_PID" 2>/dev/null || true
wait "$BROKER_PID" 2>/dev/null || true
PIDS=()

echo "   bridge: $(grep -c 'discovery published' "$WORK/bridge.log") discovery batches, exit 0; simulator exit 0"
echo "== runtime install check passed in $((SECONDS - START)) s"
