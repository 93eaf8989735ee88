#!/usr/bin/env bash
# Flash-sale benchmark: openlive pinned to core 0 (one event loop, or EVENT_LOOPS=default), the load tool on core 1.
# Per store, ROUNDS sales in a row on one server, each of UNITS units to BUYERS buyers on a fresh product.
#   BUYERS=5000 UNITS=100 ROUNDS=3 STORES="sqlite postgres" bench/run-flash-sale.sh
# PostgreSQL: the local server (127.0.0.1:5432, trust auth, database `test`), in a schema of its own that is dropped after.
# Needs: a built tree (./mvnw -DskipTests package -pl server,bench -am), taskset, psql for the PostgreSQL store.
# SERVER_JAVA_OPTS adds JVM options to the server (a GC log: SERVER_JAVA_OPTS=-Xlog:gc:file=/tmp/gc.log).
set -euo pipefail
cd "$(dirname "$0")/.."
BUYERS="${BUYERS:-5000}"
UNITS="${UNITS:-100}"
ROUNDS="${ROUNDS:-3}"
STORES="${STORES:-sqlite postgres}"
EVENT_LOOPS="${EVENT_LOOPS:-1}"
HTTP_PORT="${HTTP_PORT:-18480}"
PG_URL_BASE="${PG_URL_BASE:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
loops_flag=()
[ "$EVENT_LOOPS" = default ] || loops_flag=(--event-loops "$EVENT_LOOPS")
work="$(mktemp -d /tmp/openlive-sale.XXXXXX)"
schema="bench_sale_$$"
server_pid=""
stop() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
trap 'stop; psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1; rm -rf "$work"; true' EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

java_bin=""
for j in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java; do
  if [ -x "$j" ] && "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then java_bin="$j"; break; fi
done

echo "## flash-sale run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $("$java_bin" -version 2>&1 | head -1); event loops: $EVENT_LOOPS; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
header=--header
for store in $STORES; do
  db=()
  if [ "$store" = postgres ]; then
    psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
    db=(--database-url "$PG_URL_BASE&currentSchema=$schema")
  fi
  taskset -c 0 "$java_bin" ${SERVER_JAVA_OPTS:-} -jar server/target/openlive.jar serve --data-dir "$work/$store" --host 127.0.0.1 \
    --http-port "$HTTP_PORT" --rtmp-port 0 --component-port 0 --no-demo \
    --max-connections-per-address 0 --rt-anonymous-per-second 0 --rtmp-pending-per-address 0 "${loops_flag[@]}" "${db[@]}" >"$work/$store.log" 2>&1 &
  server_pid=$!
  key=""
  for _ in $(seq 300); do
    key="$(grep -oE 'admin key olk_[A-Za-z0-9_-]+' "$work/$store.log" | awk '{print $3}' || true)"
    [ -n "$key" ] && curl -sf "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null && break
    sleep 0.1
  done
  [ -n "$key" ] || { echo "server did not start:"; cat "$work/$store.log"; exit 1; }
  for round in $(seq "$ROUNDS"); do
    taskset -c 1 "$java_bin" -jar bench/target/openlive-bench.jar flash-sale --server "http://127.0.0.1:$HTTP_PORT" \
      --api-key "$key" --buyers "$BUYERS" --units "$UNITS" $header --label "$store round $round (load $(cut -d' ' -f1 /proc/loadavg))"
    header=""
  done
  stop
done
