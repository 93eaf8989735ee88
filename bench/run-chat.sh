#!/usr/bin/env bash
# Chat benchmark: the openlive realtime channel and a plain broadcast server on Node's `ws`, each pinned to core 0 in
# turn, the load tool pinned to core 1; C connections in one room, comments and likes in at given rates.
#   CONNECTIONS=10000 COMMENTS=200 LIKES=2000 HOLD=20 bench/run-chat.sh
# EVENT_LOOPS=1 (default) gives openlive one event loop; EVENT_LOOPS=default leaves it Vert.x's default (2 per core).
# OPENLIVE_JAR and BENCH_JAR run other builds (say, main's, copied aside) with the same script.
# Needs: a built tree (./mvnw -DskipTests package), node and npm (the baseline's `ws` is installed here), taskset.
# The load tool reads probes and senders on a thread above the bulk listeners in priority (-XX:ThreadPriorityPolicy=1,
# honoured for root): run it as root, or probes queue behind thousands of other reads and measure the load tool.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS="${CONNECTIONS:-10000}"
COMMENTS="${COMMENTS:-200}"
LIKES="${LIKES:-2000}"
HOLD="${HOLD:-20}"
SERVERS="${SERVERS:-openlive ws}"
EVENT_LOOPS="${EVENT_LOOPS:-1}"
OPENLIVE_JAR="${OPENLIVE_JAR:-server/target/openlive.jar}"
BENCH_JAR="${BENCH_JAR:-bench/target/openlive-bench.jar}"
loops_flag=()
[ "$EVENT_LOOPS" = default ] || loops_flag=(--event-loops "$EVENT_LOOPS")
SERVER_CORE=0
LOAD_CORE=1
work="$(mktemp -d /tmp/openlive-chat.XXXXXX)"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; true' EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

java_bin=""
for j in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java; do
  if [ -x "$j" ] && "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then java_bin="$j"; break; fi
done
bench() { taskset -c "$LOAD_CORE" "$java_bin" -Xmx3g -XX:ThreadPriorityPolicy=1 -jar "$BENCH_JAR" chat --hold "$HOLD" \
  --connections "$CONNECTIONS" --comments "$COMMENTS" --likes "$LIKES" --server-core "$SERVER_CORE" "$@"; }
json_field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/"; }

echo "## chat run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $("$java_bin" -version 2>&1 | head -1); node: $(node --version); openlive event loops: $EVENT_LOOPS; load: $(cut -d' ' -f1-3 /proc/loadavg)"
header=--header
for server in $SERVERS; do
  case "$server" in
    openlive)
      data="$work/data"
      app_json="$("$java_bin" -jar "$OPENLIVE_JAR" app create --name bench --json --data-dir "$data")"
      app="$(json_field id <<<"$app_json")"; secret="$(json_field secret <<<"$app_json")"
      room="$("$java_bin" -jar "$OPENLIVE_JAR" room create --title chat --apps "$app" --json --data-dir "$data" | json_field id)"
      taskset -c "$SERVER_CORE" "$java_bin" ${SERVER_JAVA_OPTS:-} -jar "$OPENLIVE_JAR" serve --data-dir "$data" \
        --rtmp-port 19350 --http-port 18080 --component-port 0 --no-demo --max-connections-per-address 0 --rt-anonymous-per-second 0 --rtmp-pending-per-address 0 "${loops_flag[@]}" --log-level warn >"$work/openlive.log" 2>&1 &
      server_pid=$!
      for _ in $(seq 100); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.1; done
      bench $header --label "openlive" --url ws://127.0.0.1:18080/rt --room "$room" --app "$app" --secret "$secret" \
        --server-pid "$server_pid" --jcmd "$(dirname "$java_bin")/jcmd"
      ;;
    ws)
      [ -d bench/ws-baseline/node_modules/ws ] || (cd bench/ws-baseline && npm install --no-audit --no-fund --silent)
      PORT=18090 taskset -c "$SERVER_CORE" node bench/ws-baseline/server.js >"$work/ws.log" 2>&1 &
      server_pid=$!
      sleep 1
      bench $header --label "node ws (plain broadcast)" --dialect plain --url ws://127.0.0.1:18090/ --server-pid "$server_pid"
      ;;
  esac
  header=""
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  server_pid=""
done
