#!/usr/bin/env bash
# Steady-state breakdown of one server's core at N RTMP viewers: the server pinned to core 0, the media bench on core 1,
# and after SETTLE seconds WINDOWS samples of 8 s of core 0 (user/system/softirq) and the process's threads.
#   bench/run-steady.sh openlive|nginx          N=1000 SETTLE=25 WINDOWS=3 HOLD=50
#   RX_STEERING=rfs bench/run-steady.sh nginx  receive work on the core of the socket's reader (bench/rx-steering.sh)
#   PERF=1 bench/run-steady.sh openlive         one 10 s `perf record -e cpu-clock -C 0` instead of the samples, by
#                                               library and by symbol (JIT symbols from `jcmd Compiler.perfmap`)
#   PERF=1 PERF_RECORD_ARGS=-g PERF_KEEP=/tmp/x.data   with call graphs, the recording kept for `perf report --children`
# Needs a built tree, ffmpeg, nginx with libnginx-mod-rtmp (for nginx), taskset, python3; perf for PERF=1.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/nginx-rtmp.sh
. bench/rx-steering.sh
server="${1:?openlive or nginx}"
N="${N:-1000}"; SETTLE="${SETTLE:-25}"; WINDOWS="${WINDOWS:-3}"; HOLD="${HOLD:-50}"
java_bin=""
for j in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java; do
  if [ -x "$j" ] && "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then java_bin="$j"; break; fi
done
work="$(mktemp -d /tmp/openlive-steady.XXXXXX)"
spid=""
metrics=()
stop() {
  if [ "$server" = openlive ] && [ -n "$spid" ]; then kill "$spid" 2>/dev/null; fi
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null; fi
  rx_steering_restore
  rm -rf "$work"
}
trap stop EXIT
rx_steering_apply
ffmpeg -nostdin -y -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 \
  -t 60 -c:v libx264 -preset veryfast -g 60 -b:v 2500k -maxrate 2500k -bufsize 5000k -pix_fmt yuv420p \
  -c:a aac -b:a 96k -f flv "$work/stream.flv"
if [ "$server" = openlive ]; then
  room_json="$("$java_bin" -jar server/target/openlive.jar room create --title bench --json --data-dir "$work/data")"
  key="$(sed -E 's/.*"streamKey":"([^"]+)".*/\1/' <<<"$room_json")"
  room="$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$room_json")"
  taskset -c 0 "$java_bin" -jar server/target/openlive.jar serve --data-dir "$work/data" --rtmp-port 19350 --http-port 18080 \
    --component-port 0 --no-demo --max-connections-per-address 0 --rt-anonymous-per-second 0 --rtmp-pending-per-address 0 --event-loops 1 --log-level warn ${SERVE_ARGS:-} >"$work/server.log" 2>&1 &
  spid=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.1; done
  publish="rtmp://127.0.0.1:19350/live/$key"; play="rtmp://127.0.0.1:19350/live/$room"
  metrics=(--metrics-url http://127.0.0.1:18080/metrics)
else
  start_nginx_rtmp "$work" 19360 0
  spid="$nginx_workers"
  publish="rtmp://127.0.0.1:19360/live/bench"; play="$publish"
fi
taskset -c 1 "$java_bin" -Xmx2g -jar bench/target/openlive-bench.jar media --hold "$HOLD" --steps "$N" --server-core 0 \
  --flv "$work/stream.flv" --label "$server" --publish "$publish" --play "$play" --server-pid "$spid" "${metrics[@]}" >"$work/bench.log" 2>&1 &
bench_pid=$!
sleep "$SETTLE"
if [ -n "${PERF:-}" ]; then
  if [ "$server" = openlive ]; then
    # the JIT's symbols, so that perf names compiled Java methods instead of bare addresses
    "$(dirname "$java_bin")/jcmd" "$spid" Compiler.perfmap >/dev/null 2>&1 || true
  fi
  perf record ${PERF_RECORD_ARGS:-} -e cpu-clock -C 0 -o "$work/perf.data" -- sleep 10 >/dev/null 2>&1
  if [ -n "${PERF_KEEP:-}" ]; then cp "$work/perf.data" "$PERF_KEEP"; fi
  perf report -i "$work/perf.data" --sort dso -g none -q 2>/dev/null | head -12
  perf report -i "$work/perf.data" --sort sym -g none -q 2>/dev/null | grep -v pv_native_safe_halt | head -"${PERF_LINES:-40}"
  echo "-- user space by thread and library"
  perf report -i "$work/perf.data" --sort comm,dso -g none -q 2>/dev/null | grep -v kernel.kallsyms | head -12
else
  for _ in $(seq "$WINDOWS"); do python3 bench/cpu-probe.py "$spid" 8; done
fi
wait "$bench_pid"
grep "^| $N " "$work/bench.log" || tail -5 "$work/bench.log"
