#!/usr/bin/env bash
# Media benchmark: openlive and nginx-rtmp, each pinned to core 0 in turn, the load tool pinned to core 1, the same
# generated 720p30 2.5 Mb/s stream. Prints markdown tables for BENCHMARKS.md.
#   STEPS=250,500,1000,2000 HOLD=15 WARMUP=1000 bench/run-media.sh
#   MERGE_WINDOWS="0ms 33ms" PROTOCOLS=rtmp bench/run-media.sh   # openlive once per merge window (serve --merge-window)
#   SETTINGS="|--pair-hold 10ms" PROTOCOLS=rtmp bench/run-media.sh  # openlive once per '|'-separated set of serve flags
#   SETTLE=20 bench/run-media.sh   # seconds from the last viewer's first frame to the measured window (default 2)
# Needs: a built tree (./mvnw -DskipTests package), ffmpeg, nginx with libnginx-mod-rtmp, taskset (util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS="${STEPS:-250,500,1000,2000}"
HOLD="${HOLD:-15}"
WARMUP="${WARMUP:-0}"   # viewers of an unreported first step; 0 measures from a cold start
PROTOCOLS="${PROTOCOLS:-rtmp http-flv ws-flv}"
MERGE_WINDOWS="${MERGE_WINDOWS:-0ms}"
SETTINGS="${SETTINGS:-}"
SETTLE="${SETTLE:-2}"
SERVER_CORE=0
LOAD_CORE=1
work="$(mktemp -d /tmp/openlive-bench.XXXXXX)"
openlive_pid=""
trap '[ -n "$openlive_pid" ] && kill "$openlive_pid" 2>/dev/null; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; true' EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # as many as allowed; each viewer is one descriptor on each side

java_bin=""
for j in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java; do
  if [ -x "$j" ] && "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then java_bin="$j"; break; fi
done
bench() { taskset -c "$LOAD_CORE" "$java_bin" -Xmx2g -jar bench/target/openlive-bench.jar media --hold "$HOLD" --steps "$STEPS" \
  --server-core "$SERVER_CORE" --flv "$work/stream.flv" --warmup-viewers "$WARMUP" --settle "$SETTLE" "$@"; }

echo "## run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $("$java_bin" -version 2>&1 | head -1); nginx: $(nginx -v 2>&1)"

ffmpeg -nostdin -y -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 \
  -t 60 -c:v libx264 -preset veryfast -g 60 -b:v 2500k -maxrate 2500k -bufsize 5000k -pix_fmt yuv420p \
  -c:a aac -b:a 96k -f flv "$work/stream.flv"

# openlive, one event loop on the server core; a fresh server per protocol, so each run starts a new timeline
IFS='|' read -r -a setting_list <<<"$SETTINGS"
[ ${#setting_list[@]} -eq 0 ] && setting_list=("")
for window in $MERGE_WINDOWS; do
for setting in "${setting_list[@]}"; do
for proto in $PROTOCOLS; do
  data="$work/data-$proto-$window-$RANDOM"
  room_json="$("$java_bin" -jar server/target/openlive.jar room create --title bench --json --data-dir "$data")"
  key="$(sed -E 's/.*"streamKey":"([^"]+)".*/\1/' <<<"$room_json")"
  room="$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$room_json")"
  taskset -c "$SERVER_CORE" "$java_bin" -jar server/target/openlive.jar serve --data-dir "$data" \
    --rtmp-port 19350 --http-port 18080 --component-port 0 --no-demo --max-connections-per-address 0 --rt-anonymous-per-second 0 --rtmp-pending-per-address 0 --event-loops 1 --merge-window "$window" $setting --log-level warn >"$work/openlive-$proto.log" 2>&1 &
  openlive_pid=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.1; done
  play="rtmp://127.0.0.1:19350/live/$room"
  [ "$proto" = http-flv ] && play="http://127.0.0.1:18080/live/$room.flv"
  [ "$proto" = ws-flv ] && play="ws://127.0.0.1:18080/live/$room.flv"
  label="openlive ($proto)"
  [ "$window" != 0ms ] && label="openlive ($proto, merge $window)"
  [ -n "$setting" ] && label="${label%)}, $setting)"
  bench --label "$label" --publish "rtmp://127.0.0.1:19350/live/$key" --play "$play" --server-pid "$openlive_pid" \
    --metrics-url http://127.0.0.1:18080/metrics --jcmd "$(dirname "$java_bin")/jcmd"
  kill "$openlive_pid"; wait "$openlive_pid" 2>/dev/null || true
done
done
done

# nginx-rtmp: one worker on the server core
module="$(ls /usr/lib/nginx/modules/ngx_rtmp_module.so)"
cat >"$work/nginx.conf" <<CONF
load_module $module;
worker_processes 1;
worker_cpu_affinity 1;
worker_rlimit_nofile 65536;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 30000; }
rtmp {
  server {
    listen 127.0.0.1:19360;
    chunk_size 4096;
    application live { live on; }
  }
}
CONF
taskset -c "$SERVER_CORE" nginx -c "$work/nginx.conf" -p "$work" -g 'daemon on;'
sleep 1
nginx_workers="$(pgrep -P "$(cat "$work/nginx.pid")" | paste -sd, -)"
bench --label "nginx-rtmp (rtmp)" --publish "rtmp://127.0.0.1:19360/live/bench" --play "rtmp://127.0.0.1:19360/live/bench" \
  --server-pid "$nginx_workers"
kill "$(cat "$work/nginx.pid")"
rm -rf "$work"
