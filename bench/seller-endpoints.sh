#!/usr/bin/env bash
# External Seller endpoints benchmark: starts the packaged engine in a fresh working directory (embedded H2 and
# Artemis, the repo's routes/ and a copy of its mappings/, plus the bench-only baseline route in bench/routes/), runs
# the load generator (src/test/java/dev/vtexbridge/bench) against it, stops the engine and appends the figures to
# bench/RESULTS.md. The engine log and GC log of the last run stay in target/bench/. See bench/README.md.
#
#   bench/seller-endpoints.sh                   the full run (about 8 minutes)
#   BENCH_SCALE=0.2 BENCH_RECORD=false bench/seller-endpoints.sh    a short trial run that records nothing
#   BENCH_CONNECTIONS=10 bench/seller-endpoints.sh   the same load spread over 10 connections (default, bench1…bench9)
#   ENGINE_JAVA_OPTS="-XX:StartFlightRecording=filename=run.jfr,settings=profile" ...   extra engine JVM flags
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

jar=target/vtex-bridge.jar
generator=target/test-classes/dev/vtexbridge/bench/SellerEndpointsBench.class
# true when $1 is missing or older than any file under the other arguments
stale() { [[ ! -f $1 || -n "$(find "${@:2}" -newer "$1" -type f -print -quit)" ]]; }
if stale "$jar" pom.xml src/main || stale "$generator" src/test/java/dev/vtexbridge/bench; then
  echo "[bench] building $jar and the load generator"
  ./mvnw -q -DskipTests package
fi

work="$(mktemp -d)"
engine_pid=""
cleanup() {
  if [[ -n $engine_pid ]] && kill -0 "$engine_pid" 2>/dev/null; then
    kill "$engine_pid" && wait "$engine_pid" 2>/dev/null || true
  fi
  # keep the engine's log and GC log of the last run for a closer look
  mkdir -p "$repo/target/bench" && cp "$work"/*.log "$repo/target/bench/" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

./mvnw -q dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" >/dev/null

port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[[ -n $port ]] || { echo "[bench] no free port found" >&2; exit 1; }

export BRIDGE_SELLER_APP_KEY=vtexappkey-bench-seller
export BRIDGE_SELLER_APP_TOKEN=bench-seller-app-token
export BRIDGE_OPS_TOKEN=bench-ops-token
connections=${BENCH_CONNECTIONS:-1}
[[ $connections =~ ^[1-9][0-9]*$ ]] || { echo "[bench] BENCH_CONNECTIONS must be a number from 1" >&2; exit 1; }
# The engine's mappings: the repo's, plus for connections bench1…bench<n-1> outlet's overlays (10 % markdown, 50 % of
# the stock), so their simulation does its own pricing and allocation. Naming connection default alone keeps the
# sandbox from adding its second marketplace: the one-connection run has exactly one.
mappings="$work/mappings"
cp -r mappings "$mappings"
export BRIDGE_CONNECTIONS_DEFAULT_ROLE=seller
for i in $(seq 1 $((connections - 1))); do
  export "BRIDGE_CONNECTIONS_BENCH${i}_ROLE=seller"
  export "BRIDGE_CONNECTIONS_BENCH${i}_ENDPOINT_APP_KEY=vtexappkey-bench${i}-seller"
  export "BRIDGE_CONNECTIONS_BENCH${i}_ENDPOINT_APP_TOKEN=bench${i}-seller-app-token"
  cp -r mappings/connections/outlet "$mappings/connections/bench${i}"
done
engine_opts=(-Xms1g -Xmx1g "-Xlog:gc:file=$work/gc.log:time")
# ENGINE_JAVA_OPTS adds engine JVM flags, e.g. a flight recording: "-XX:StartFlightRecording=filename=/tmp/e.jfr"
read -ra extra_opts <<<"${ENGINE_JAVA_OPTS:-}"
engine_opts+=("${extra_opts[@]}")

echo "[bench] starting the engine on port $port (working directory $work)"
(
  cd "$work"
  SERVER_PORT=$port BRIDGE_ROUTES_DIR="$repo/routes" BRIDGE_MAPPINGS_DIR="$mappings" \
    exec java "${engine_opts[@]}" -jar "$repo/$jar" \
      "--camel.main.routes-include-pattern=\${bridge.routes-location}**/*.camel.yaml,file:$repo/bench/routes/*.camel.yaml"
) >"$work/engine.log" 2>&1 &
engine_pid=$!

for _ in $(seq 1 180); do
  if curl -fsS "http://localhost:$port/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; then break; fi
  if ! kill -0 "$engine_pid" 2>/dev/null; then
    echo "[bench] the engine stopped during start-up:" >&2; tail -50 "$work/engine.log" >&2; exit 1
  fi
  sleep 1
done
curl -fsS "http://localhost:$port/actuator/health" | grep -q '"status":"UP"' \
  || { echo "[bench] the engine is not healthy after 180 s:" >&2; tail -50 "$work/engine.log" >&2; exit 1; }

status=0
java -Xms512m -Xmx512m -cp "target/test-classes:$(cat "$work/classpath.txt")" \
  -Dbench.url="http://localhost:$port" \
  -Dbench.engine-pid="$engine_pid" \
  -Dbench.gc-log="$work/gc.log" \
  -Dbench.scale="${BENCH_SCALE:-1}" \
  -Dbench.skus="${BENCH_SKUS:-100000}" \
  -Dbench.record="${BENCH_RECORD:-true}" \
  -Dbench.connections="$connections" \
  -Dbench.command="$([[ $connections -gt 1 ]] && echo "BENCH_CONNECTIONS=$connections ")bench/seller-endpoints.sh" \
  -Dbench.engine="java -Xms1g -Xmx1g -Xlog:gc -jar target/vtex-bridge.jar (embedded H2 and Artemis, fresh data folder)" \
  dev.vtexbridge.bench.SellerEndpointsBench || status=$?

if [[ $status -ne 0 ]]; then
  echo "[bench] the load generator failed; last engine log lines:" >&2; tail -30 "$work/engine.log" >&2
fi
exit $status
