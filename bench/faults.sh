#!/usr/bin/env bash
# The fault ledger at full size: two engine instances on embedded Kafka and PostgreSQL, instance b in a JVM of its own
# halted with SIGKILL KILLS times at random points (and stopped once with SIGTERM) while SKUS ERP stock changes (each
# SKU once, PER_ROUND every 300 ms) and orders keep coming (InstanceKilledIT, its ledger test alone); meanwhile
# the faults of VtexFaultsLedgerIT, each ROUNDS times (429 with and without Retry-After, 5xx bursts and exhaustion,
# slow answers, repeated and reordered deliveries, poison records on Kafka and JMS, an ERP ten times faster than the
# VTEX budget, the ERP's and the engine's database down for 30 s, the Kafka and the Artemis broker stopped and started
# again). Prints the ledger tables and appends them, dated, to bench/RESULTS.md unless --no-record. SEED=<n> repeats a
# run's random kill points.
set -euo pipefail
cd "$(dirname "$0")/.."
record=true
[[ "${1:-}" == "--no-record" ]] && record=false
skus=${SKUS:-100000}
kills=${KILLS:-10}
per_round=${PER_ROUND:-120}
rounds=${ROUNDS:-10}
seed=${SEED:-$RANDOM$RANDOM}
mkdir -p target/bench
: > target/bench/faults.log
started=$(date +%s)
# both at once, each in a JVM of its own (as the build runs them), with a heap for the 100,000-SKU ledger
./mvnw -B ${MVN_ARGS:-} test-compile failsafe:integration-test failsafe:verify \
  -Dit.test='InstanceKilledIT#haltedAtRandomPoints*,VtexFaultsLedgerIT' -Dit.heap=4g -Dledger.rounds="$rounds" \
  -Dmaven.test.redirectTestOutputToFile=false \
  -Dledger.skus="$skus" -Dledger.kills="$kills" -Dledger.per-round="$per_round" -Dledger.seed="$seed" \
  >> target/bench/faults.log 2>&1 || { echo "the fault run failed: see target/bench/faults.log" >&2; exit 1; }
seconds=$(( $(date +%s) - started ))
tables=$(grep -E '^\| |^INSTANCE-KILLED ledger|^LEDGER summary' target/bench/faults.log | awk '!seen[$0]++')
echo "$tables"
if $record; then
  {
    echo
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — the fault ledger (bench/faults.sh)"
    echo
    echo "- Command: \`SKUS=$skus KILLS=$kills PER_ROUND=$per_round ROUNDS=$rounds SEED=$seed bench/faults.sh\`; $(nproc) cores, load"
    echo "  average $(cut -d' ' -f1-3 /proc/loadavg) at the end; ${seconds} s in all"
    echo
    echo '```'
    echo "$tables"
    echo '```'
  } >> bench/RESULTS.md
fi
