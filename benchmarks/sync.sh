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

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
classpath_file=benchmarks/target/classpath.txt
if [[ -z "${SKIP_BUILD:-}" || ! -s "$classpath_file" ]]; then
  # One reactor build: the project's modules come from their target/ directories, not from ~/.m2.
  # The CLI is only a build-order dependency of the benchmarks (its shaded jar would shadow everything): off the path.
  # shellcheck disable=SC2086 # MVN_ARGS is a list of words
  mvn -B -q ${MVN_ARGS:-} -DskipTests -pl benchmarks -am package \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime -DexcludeArtifactIds=profileops-cli
fi

java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi
exec "$java_bin" -Xms1g -Xmx1g \
  -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.profileops.benchmarks.SyncBenchmark --crds manifests/crds "$@"
