#!/usr/bin/env bash
# Benchmark: the External Marketplace role's offers flow at the connection's VTEX budget. 100,000 affiliate
# notifications over 20,000 SKUs through POST /marketplace/shop/api/notification -> coalescing window -> store reads
# (loopback VTEX store, rate-limits.catalog/checkout 100/s) -> mapping -> REST sink (loopback), in one JVM.
# Appends a dated entry to bench/RESULTS.md (--no-record: print only). Extra arguments go to MarketplaceOffersBench
# (e.g. --notifications=10000 --skus=2000 --no-record for a short trial run).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/_build.sh
mkdir -p target/bench/marketplace-offers
# The JDK HttpServer of the stand-ins keeps the engine's pooled connections open (no idle close mid-run).
exec java ${JAVA_OPTS:-} -Dsun.net.httpserver.idleInterval=3600 -Dsun.net.httpserver.maxIdleConnections=1000 -Xms1g -Xmx1g -Xlog:gc:file=target/bench/marketplace-offers/gc.log \
  -cp "$BENCH_CP" dev.vtexbridge.bench.MarketplaceOffersBench "$@"
