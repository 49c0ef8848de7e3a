#!/usr/bin/env bash
# Builds the JMH jar, runs every benchmark of issue 5 and writes docs/benchmarks.md and
# docs/benchmarks-readme-snippet.md from JMH's JSON output. About 10 minutes on 2 cores.
# Extra arguments go to JMH, e.g. `-f 1 -wi 1 -i 1` for a quick check, or a benchmark regex.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q package -pl memquota-bench -am -DskipTests
jar=memquota-bench/target/benchmarks.jar
json=memquota-bench/target/jmh-result.json

java -jar "$jar" -rf json -rff "$json" "$@"
mkdir -p docs
java -cp "$jar" dev.memquota.bench.Report "$json" docs/benchmarks.md docs/benchmarks-readme-snippet.md
