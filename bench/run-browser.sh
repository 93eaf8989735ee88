#!/usr/bin/env bash
# Browser benchmark: an openlive server in demo mode (the demo room loops its sample clip, no encoder) pinned to core 0,
# headless Chromium and the bench pinned to core 1; LOADS page loads of the Demo Shop, then a LATENCY-second latency run
# with the video paused for 5 s 30 s before its end.
#   LOADS=20 PARALLEL=1 LATENCY=180 PAGE=shop STALL=busy bench/run-browser.sh   (STALL=pause pauses the video instead)
#   QUERY="?playback=hls" plays the demo room through hls.js (LL-HLS) instead of the FLV player
# Needs: a built tree (./mvnw -DskipTests package), /usr/bin/chromium and /usr/bin/chromedriver, taskset.
set -euo pipefail
cd "$(dirname "$0")/.."
LOADS="${LOADS:-20}"
PARALLEL="${PARALLEL:-1}"
LATENCY="${LATENCY:-180}"
PAGE="${PAGE:-shop}"
STALL="${STALL:-busy}"
QUERY="${QUERY:-}"
THROTTLE="${THROTTLE:-}"   # e.g. THROTTLE=1600/150: the loads over a phone-like network (kb/s / ms a request)
WARM_AUDIO="${WARM_AUDIO:-}"   # WARM_AUDIO=1: the browser's audio service started before each load (not its first playback)
SERVER_CORE=0
LOAD_CORE=1
HTTP_PORT="${HTTP_PORT:-18480}"
work="$(mktemp -d /tmp/openlive-browser.XXXXXX)"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; true' EXIT

java_bin=""
for j in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java; do
  if [ -x "$j" ] && "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then java_bin="$j"; break; fi
done

echo "## browser run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $("$java_bin" -version 2>&1 | head -1); $(/usr/bin/chromium --version 2>/dev/null); load average $(cut -d' ' -f1-3 /proc/loadavg)"
taskset -c "$SERVER_CORE" "$java_bin" -jar server/target/openlive.jar serve --data-dir "$work/data" --host 127.0.0.1 \
  --http-port "$HTTP_PORT" --component-port 0 --rtmp-port 0 >"$work/openlive.log" 2>&1 &
server_pid=$!
for _ in $(seq 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/demo/$PAGE/" && grep -q 'sample loop publishing' "$work/openlive.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/openlive.log"; exit 1; }
  sleep 0.5
done
taskset -c "$LOAD_CORE" "$java_bin" -jar bench/target/openlive-bench.jar browser --url "http://127.0.0.1:$HTTP_PORT/demo/$PAGE/$QUERY" \
  --loads "$LOADS" --parallel "$PARALLEL" --latency-seconds "$LATENCY" --stall "$STALL" ${THROTTLE:+--throttle "$THROTTLE"} ${WARM_AUDIO:+--warm-audio}
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
