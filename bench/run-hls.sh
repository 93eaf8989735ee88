#!/usr/bin/env bash
# HLS and LL-HLS benchmark: openlive (default settings, one event loop) and nginx-rtmp's HLS (one worker, segments on
# tmpfs served by the same nginx) run at once, each pinned to core 0, fed the same generated 720p30 2.5 Mb/s stream by
# the load tool, which runs on core 1 and takes them in turn, round after round (paired rounds: the machine is shared and
# its noise between runs is as large as the effects measured). Configurations per round:
#   nginx-rtmp HLS (MPEG-TS), openlive classic HLS (?format=ts), openlive LL-HLS (fMP4, blocking reload, parts).
#   ROUNDS=2 STEPS=100,500,1000,2000 SETTLE=5 HOLD=15 bench/run-hls.sh
#   CONFIGS="nginx ts ll ll-skip" bench/run-hls.sh   # which configurations, in this order (ll-skip: delta updates)
#   HLS_DIR=/var/tmp/nginx-hls bench/run-hls.sh      # nginx-rtmp's segments on disk instead of /dev/shm
# Needs: a built tree (./mvnw -DskipTests package -pl server,bench -am), ffmpeg, nginx with libnginx-mod-rtmp, taskset.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/nginx-hls.sh
ROUNDS="${ROUNDS:-2}"
STEPS="${STEPS:-100,500,1000,2000}"
SETTLE="${SETTLE:-5}"
HOLD="${HOLD:-15}"
CONNECT_RATE="${CONNECT_RATE:-500}"
CONFIGS="${CONFIGS:-nginx ts ll}"
SERVER_CORE=0
LOAD_CORE=1
work="$(mktemp -d /tmp/openlive-hls.XXXXXX)"
HLS_DIR="${HLS_DIR:-/dev/shm/openlive-bench-hls-$$}"
openlive_pid=""
stop() {
  [ -n "$openlive_pid" ] && kill "$openlive_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$HLS_DIR"
  true
}
trap stop EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

java_bin=""
for j in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java; do
  if [ -x "$j" ] && "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then java_bin="$j"; break; fi
done

echo "## HLS run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $("$java_bin" -version 2>&1 | head -1); nginx: $(nginx -v 2>&1)"
echo "ROUNDS=$ROUNDS STEPS=$STEPS SETTLE=$SETTLE HOLD=$HOLD CONNECT_RATE=$CONNECT_RATE CONFIGS=\"$CONFIGS\" HLS_DIR=$HLS_DIR"
ffmpeg -nostdin -y -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 \
  -t 60 -c:v libx264 -preset veryfast -g 60 -b:v 2500k -maxrate 2500k -bufsize 5000k -pix_fmt yuv420p \
  -c:a aac -b:a 96k -f flv "$work/stream.flv"

# Both servers start once and stay up across rounds. openlive: default settings (no HLS or fan-out tuning); the flags
# only pin it to one event loop, turn off the demo and the component port, and lift the per-address caps that would
# refuse thousands of viewers from one loopback address.
start_nginx_hls "$work" 19460 18460 "$SERVER_CORE" "$HLS_DIR"
data="$work/data"
room_json="$("$java_bin" -jar server/target/openlive.jar room create --title bench --json --data-dir "$data")"
key="$(sed -E 's/.*"streamKey":"([^"]+)".*/\1/' <<<"$room_json")"
room="$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$room_json")"
taskset -c "$SERVER_CORE" "$java_bin" -jar server/target/openlive.jar serve --data-dir "$data" --rtmp-port 19470 --http-port 18470 \
  --component-port 0 --no-demo --max-connections-per-address 0 --rt-anonymous-per-second 0 --rtmp-pending-per-address 0 --event-loops 1 --log-level warn \
  >"$work/openlive.log" 2>&1 &
openlive_pid=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18470/healthz >/dev/null && break; sleep 0.1; done

header=1
for round in $(seq "$ROUNDS"); do
  for config in $CONFIGS; do
    case "$config" in
      nginx) args=(--label "nginx-rtmp HLS (ts)" --publish rtmp://127.0.0.1:19460/live/bench --playlist http://127.0.0.1:18460/hls/bench.m3u8
                   --mode HLS --media-offset-ms 700 --server-pid "$nginx_workers") ;;
      ts) args=(--label "openlive HLS (ts)" --publish "rtmp://127.0.0.1:19470/live/$key" --playlist "http://127.0.0.1:18470/live/$room.m3u8?format=ts"
                --mode HLS --server-pid "$openlive_pid") ;;
      ll) args=(--label "openlive LL-HLS" --publish "rtmp://127.0.0.1:19470/live/$key" --playlist "http://127.0.0.1:18470/live/$room.m3u8"
                --mode LL_HLS --server-pid "$openlive_pid") ;;
      ll-skip) args=(--label "openlive LL-HLS, delta" --publish "rtmp://127.0.0.1:19470/live/$key" --playlist "http://127.0.0.1:18470/live/$room.m3u8"
                --mode LL_HLS --skip --server-pid "$openlive_pid") ;;
      *) echo "unknown configuration $config" >&2; exit 2 ;;
    esac
    echo "# round $round: $config; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    flags=()
    [ "$header" = 1 ] && flags=(--header) && header=0
    taskset -c "$LOAD_CORE" "$java_bin" -Xmx3g -jar bench/target/openlive-bench.jar hls "${args[@]}" "${flags[@]}" --flv "$work/stream.flv" \
      --steps "$STEPS" --settle "$SETTLE" --hold "$HOLD" --connect-rate "$CONNECT_RATE" --server-core "$SERVER_CORE" --load-core "$LOAD_CORE" \
      2>>"$work/bench-stderr.log" | sed -e "s/^| \(nginx\|openlive\)/| $round | \1/" -e "s/^| server /| round | server /" -e "s/^|---|/|---|---|/" | tee -a "$work/rows"
    # each bench run publishes anew: openlive takes a publisher back within its grace period (10 s) as the same show,
    # with timestamps rebased onto the old timeline, which the bench could not map to its send times; past it, a new
    # show starts on the publisher's own timestamps. nginx-rtmp closes its HLS stream meanwhile.
    sleep 12
  done
done
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); rows in $work/rows"
