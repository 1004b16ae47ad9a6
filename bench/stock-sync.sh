#!/usr/bin/env bash
# Benchmark (b): 50,000 stock changes over 10,000 SKUs, Kafka -> engine -> loopback VTEX stand-in, vs a raw
# KafkaConsumer + Jackson + HttpClient loop, in one JVM (embedded KRaft broker, engine, raw loop, stand-in).
# Appends a dated entry to bench/RESULTS.md (--no-record: print only). Extra arguments go to StockSyncBench (e.g. --order=random).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/_build.sh
mkdir -p target/bench/stock-sync
exec java ${JAVA_OPTS:-} -Xmx1g -Xlog:gc:file=target/bench/stock-sync/gc.log \
  -cp "$BENCH_CP" dev.vtexbridge.bench.StockSyncBench "$@"
