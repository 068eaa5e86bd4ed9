#!/usr/bin/env bash
# Node daemon start-up and memory with 1,000 SeccompProfiles in a mock API server.
# Builds the CLI jar and the benchmark, then runs dev.profileops.benchmarks.NodeDaemonBenchmark;
# arguments go to it (--help lists them). A benchmark, not a test: nothing runs it during mvn verify.
#
#   benchmarks/node-daemon.sh                       # the default flag sets, 2 runs each
#   benchmarks/node-daemon.sh --only daemonset --repeat 3
#   SKIP_BUILD=1 benchmarks/node-daemon.sh          # reuse the last build
#   MVN_ARGS=-o benchmarks/node-daemon.sh           # build offline
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck disable=SC2086 # MVN_ARGS is a list of words
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q ${MVN_ARGS:-} -DskipTests install -pl benchmarks -am
fi
classpath_file=benchmarks/target/classpath.txt
if [[ -z "${SKIP_BUILD:-}" || ! -s "$classpath_file" ]]; then
  # The CLI is only a build-order dependency (its shaded jar runs as the daemon): keep it off the path.
  mvn -B -q ${MVN_ARGS:-} -f benchmarks/pom.xml dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime -DexcludeArtifactIds=profileops-cli
fi

java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi
# The benchmark JVM hosts the mock API server; a fixed heap keeps it from growing into the daemon's share.
exec "$java_bin" -Xms512m -Xmx512m -XX:+UseParallelGC \
  -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.profileops.benchmarks.NodeDaemonBenchmark \
  --jar cli/target/profileops.jar --crds manifests/crds "$@"
