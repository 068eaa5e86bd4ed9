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

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
classpath_file=benchmarks/target/classpath.txt
if [[ -z "${SKIP_BUILD:-}" || ! -s "$classpath_file" ]]; then
  # One reactor build: the project's modules come from their target/ directories, not from ~/.m2.
  # shellcheck disable=SC2086 # MVN_ARGS is a list of words
  mvn -B -q ${MVN_ARGS:-} -DskipTests -pl benchmarks -am package \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime -DexcludeArtifactIds=profileops-cli
fi

java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi
exec "$java_bin" -Xms256m -Xmx256m \
  -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.profileops.benchmarks.RecordingPublishBenchmark "$@"
