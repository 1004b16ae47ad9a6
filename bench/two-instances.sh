#!/usr/bin/env bash
# Benchmark: ERP stock changes per second with one engine instance and with two on one PostgreSQL and one Kafka, and
# the delay until a hold placed on one instance shows in the other's projection (p50/p99). One JVM: embedded Kafka,
# embedded PostgreSQL, WireMock as VTEX, both engines. Appends a dated entry to bench/RESULTS.md (--no-record: print
# only). Arguments go to TwoInstancesBench (e.g. --skus=2000 --orders=500).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/_build.sh
mkdir -p target/bench/two-instances
exec java ${JAVA_OPTS:-} -Xmx3g -cp "$BENCH_CP" dev.vtexbridge.bench.TwoInstancesBench "$@"
