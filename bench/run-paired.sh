#!/usr/bin/env bash
# Paired media benchmark: every server under test runs at once, each pinned to core 0, and the load tool (core 1) takes
# them in turn, round after round, so each round's ratios compare servers measured minutes apart on the same machine
# state. This machine's noise between runs is as large as the effects measured; same-round ratios and their median are
# what to quote. A server without viewers or a publisher costs its core nothing.
#   ROUNDS=5 STEPS=1000,2000 SETTLE=10 HOLD=15 bench/run-paired.sh
#   SERVERS="openlive|openlive --pair-hold 10ms|nginx" bench/run-paired.sh   # '|'-separated; openlive takes serve flags
#   SERVERS="openlive|openlive --event-loops 2|nginx" bench/run-paired.sh       # openlive runs one event loop unless told
#   RX_STEERING=rfs bench/run-paired.sh      # each side's receive work on its own core (bench/rx-steering.sh; root)
#   CONNECT_RATE=100 bench/run-paired.sh     # new viewers per second in a ramp (default 1000)
# Needs: a built tree (./mvnw -DskipTests package), ffmpeg, nginx with libnginx-mod-rtmp, taskset, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/nginx-rtmp.sh
. bench/rx-steering.sh
ROUNDS="${ROUNDS:-5}"
STEPS="${STEPS:-1000,2000}"
SETTLE="${SETTLE:-10}"
HOLD="${HOLD:-15}"
SERVERS="${SERVERS:-openlive|nginx}"
CONNECT_RATE="${CONNECT_RATE:-1000}"   # new viewers per second in a ramp
PROTOCOL="${PROTOCOL:-rtmp}"   # openlive's play protocol: rtmp, http-flv or ws-flv (nginx-rtmp always plays RTMP)
SERVER_CORE=0
LOAD_CORE=1
work="$(mktemp -d /tmp/openlive-paired.XXXXXX)"
pids=()
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  rx_steering_restore
}
trap stop EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

java_bin=""
for j in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java; do
  if [ -x "$j" ] && "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then java_bin="$j"; break; fi
done

echo "## paired run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $("$java_bin" -version 2>&1 | head -1); nginx: $(nginx -v 2>&1)"
echo "ROUNDS=$ROUNDS STEPS=$STEPS SETTLE=$SETTLE HOLD=$HOLD CONNECT_RATE=$CONNECT_RATE PROTOCOL=$PROTOCOL RX_STEERING=${RX_STEERING:-off} SERVERS=\"$SERVERS\""
rx_steering_apply
ffmpeg -nostdin -y -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 \
  -t 60 -c:v libx264 -preset veryfast -g 60 -b:v 2500k -maxrate 2500k -bufsize 5000k -pix_fmt yuv420p \
  -c:a aac -b:a 96k -f flv "$work/stream.flv"

# Start every server once; each keeps its JVM (or worker) warm across rounds.
IFS='|' read -r -a servers <<<"$SERVERS"
labels=(); publish=(); play=(); spid=(); extra=()
i=0
for s in "${servers[@]}"; do
  read -r -a words <<<"$s"
  if [ "${words[0]}" = nginx ]; then
    start_nginx_rtmp "$work" 19360 "$SERVER_CORE"
    labels+=("nginx-rtmp (rtmp)")
    publish+=("rtmp://127.0.0.1:19360/live/bench"); play+=("rtmp://127.0.0.1:19360/live/bench")
    spid+=("$nginx_workers"); extra+=("")
  else
    flags=("${words[@]:1}")
    loops=(--event-loops 1)   # one loop unless the server's flags choose (serve's default is one per core it sees)
    [[ " ${flags[*]} " == *" --event-loops "* ]] && loops=()
    data="$work/data-$i"
    room_json="$("$java_bin" -jar server/target/openlive.jar room create --title bench --json --data-dir "$data")"
    key="$(sed -E 's/.*"streamKey":"([^"]+)".*/\1/' <<<"$room_json")"
    room="$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$room_json")"
    rtmp=$((19370 + i)); http=$((18090 + i))
    taskset -c "$SERVER_CORE" "$java_bin" -jar server/target/openlive.jar serve --data-dir "$data" --rtmp-port "$rtmp" \
      --http-port "$http" --component-port 0 --no-demo --max-connections-per-address 0 --rt-anonymous-per-second 0 --rtmp-pending-per-address 0 "${loops[@]}" --log-level warn "${flags[@]}" >"$work/openlive-$i.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http/healthz" >/dev/null && break; sleep 0.1; done
    case "$PROTOCOL" in
      http-flv) url="http://127.0.0.1:$http/live/$room.flv" ;;
      ws-flv) url="ws://127.0.0.1:$http/live/$room.flv" ;;
      *) url="rtmp://127.0.0.1:$rtmp/live/$room" ;;
    esac
    label="openlive ($PROTOCOL"; [ ${#flags[@]} -gt 0 ] && label="$label, ${flags[*]}"
    labels+=("$label)")
    publish+=("rtmp://127.0.0.1:$rtmp/live/$key"); play+=("$url"); spid+=("${pids[-1]}")
    extra+=("--metrics-url http://127.0.0.1:$http/metrics")
  fi
  i=$((i + 1))
done

# CPU ticks (user + system) of the processes in a comma-separated PID list: the server's own CPU, whatever else runs on
# its core (the core busy share counts other users' processes too, on a shared machine).
cpu_ticks() {
  local sum=0 pid
  for pid in ${1//,/ }; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  echo "$sum"
}

for round in $(seq "$ROUNDS"); do
  for k in "${!labels[@]}"; do
    echo "# round $round: ${labels[$k]}"
    cpu_before="$(cpu_ticks "${spid[$k]}")"
    # shellcheck disable=SC2086
    taskset -c "$LOAD_CORE" "$java_bin" -Xmx2g -jar bench/target/openlive-bench.jar media --hold "$HOLD" --steps "$STEPS" \
      --settle "$SETTLE" --connect-rate "$CONNECT_RATE" --server-core "$SERVER_CORE" --flv "$work/stream.flv" --label "${labels[$k]}" \
      --publish "${publish[$k]}" --play "${play[$k]}" --server-pid "${spid[$k]}" ${extra[$k]} 2>/dev/null \
      | grep -E '^\| [0-9]' | sed "s/^/${round}|${k}/" >>"$work/rows"
    tail -n "$(tr ',' '\n' <<<"$STEPS" | wc -l)" "$work/rows" | cut -d'|' -f3- | sed 's/^/|/'
    echo "$round|$k|$(( $(cpu_ticks "${spid[$k]}") - cpu_before ))" >>"$work/cpu"
    echo "server process CPU over the round's steps: $(tail -1 "$work/cpu" | cut -d'|' -f3) ticks ($(getconf CLK_TCK)/s)"
  done
done

printf '%s\n' "${labels[@]}" >"$work/labels"
python3 bench/paired-summary.py "$work/labels" "$work/rows"
python3 bench/paired-cpu.py "$work/labels" "$work/cpu" "$(getconf CLK_TCK)"
