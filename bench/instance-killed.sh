#!/usr/bin/env bash
# Benchmark: how soon the survivor works again the Kafka channel partitions of an engine instance halted with SIGKILL
# (target 15 s from the kill), and how soon every SKU is told its final stock. Runs the integration test
# InstanceKilledIT alone, with the full JIT (-Dit.jit=), RUNS times (default 1), and prints its INSTANCE-KILLED lines;
# appends a dated entry to bench/RESULTS.md unless --no-record. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
record=true
[[ "${1:-}" == "--no-record" ]] && record=false
runs=${RUNS:-1}
lines=()
for ((i = 1; i <= runs; i++)); do
  log=target/bench/instance-killed-$i.log
  mkdir -p target/bench
  ./mvnw -B ${MVN_ARGS:-} test-compile failsafe:integration-test failsafe:verify -Dit.test=InstanceKilledIT -Dit.jit= -Dmaven.test.redirectTestOutputToFile=false \
    > "$log" 2>&1 || { echo "run $i failed: see $log" >&2; exit 1; }
  while IFS= read -r line; do lines+=("run $i: $line"); done < <(grep '^INSTANCE-KILLED' "$log")
done
printf '%s\n' "${lines[@]}"
if $record; then
  {
    echo
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — an instance killed mid-flow (bench/instance-killed.sh)"
    echo
    echo "- Command: \`RUNS=$runs bench/instance-killed.sh\`; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    echo
    printf -- '- %s\n' "${lines[@]}"
  } >> bench/RESULTS.md
fi
