#!/usr/bin/env bash
# Full sync of 5,000 SeccompProfiles against a one-file change after it (target: ratio >= 30x).
# A real git daemon, fabric8's CRUD mock API server and the syncer's controller, all on this machine
# (the controller and the mock in one JVM). Builds the benchmark (mvn package, nothing is installed into
# ~/.m2), then runs dev.profileops.benchmarks.SyncBenchmark; arguments go to it (--help lists them).
# A benchmark, not a test: nothing runs it during mvn verify.
#
#   benchmarks/sync.sh                          # 5,000 profiles, 5 one-file changes
#   benchmarks/sync.sh --jfr /tmp/sync-jfr      # also profile both phases with JFR and print what is hot
#   SKIP_BUILD=1 benchmarks/sync.sh             # reuse the last build
#   MVN_ARGS=-o benchmarks/sync.sh              # build offline
set -euo pipefail

# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"
build_benchmarks
exec "$java_bin" -Xms1g -Xmx1g \
  -cp "$(benchmark_classpath)" \
  dev.profileops.benchmarks.SyncBenchmark --crds manifests/crds "$@"
