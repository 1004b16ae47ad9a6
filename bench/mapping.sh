#!/usr/bin/env bash
# Benchmark (a): 100,000 ERP SKUs through the mapping chain vs a raw Jackson read+write, in a JVM capped at 256 MB heap.
# Appends a dated entry to bench/RESULTS.md. Extra arguments go to MappingBench (e.g. --skus=20000 --rounds=5).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/_build.sh
mkdir -p target/bench/mapping
exec java ${JAVA_OPTS:-} -Xms256m -Xmx256m -Xlog:gc:file=target/bench/mapping/gc.log \
  -cp "$BENCH_CP" dev.vtexbridge.bench.MappingBench "$@"
