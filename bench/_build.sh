#!/usr/bin/env bash
# Shared by the benchmark scripts: compiles main and test classes and writes the test classpath once per pom change.
# Sourced from the repository root; sets BENCH_CP. MVN_ARGS passes extra Maven flags (e.g. MVN_ARGS=-o offline).
set -euo pipefail
./mvnw -q -B ${MVN_ARGS:-} test-compile -DskipTests
if [[ ! -s target/bench-classpath.txt || pom.xml -nt target/bench-classpath.txt ]]; then
  ./mvnw -q -B ${MVN_ARGS:-} dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi
BENCH_CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
export BENCH_CP
