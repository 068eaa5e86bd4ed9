#!/usr/bin/env bash
# Recorded container exit -> recording branch pushed, p50/p95 over 20 publishes (target: p95 <= 2 s).
# A real git daemon on loopback serving a repository of 200 profiles; the recorder's merge and publisher
# in one JVM. Builds the benchmark (mvn package: nothing is installed into ~/.m2), then runs
# dev.profileops.benchmarks.RecordingPublishBenchmark; arguments go to it (--help lists them).
# A benchmark, not a test: nothing runs it during mvn verify.
#
#   benchmarks/recording-publish.sh                       # 200 profiles, 3 warm-up publishes, 20 measured
#   benchmarks/recording-publish.sh --verbose             # one line per publish
#   SKIP_BUILD=1 benchmarks/recording-publish.sh          # reuse the last build
#   MVN_ARGS=-o benchmarks/recording-publish.sh           # build offline
set -euo pipefail

# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"
build_benchmarks
exec "$java_bin" -Xms256m -Xmx256m \
  -cp "$(benchmark_classpath)" \
  dev.profileops.benchmarks.RecordingPublishBenchmark "$@"
