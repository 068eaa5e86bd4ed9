#!/usr/bin/env bash
# Push-to-file-on-node latency through the push webhook, p50/p95 over 50 pushes (target: p50 <= 1 s).
# A real git daemon; fabric8's CRUD mock API server, the syncer's controller with its webhook receiver and
# a node daemon, all in one JVM. Builds the benchmark (mvn package: nothing is installed into ~/.m2), then
# runs dev.profileops.benchmarks.WebhookLatencyBenchmark; arguments go to it (--help lists them).
# A benchmark, not a test: nothing runs it during mvn verify.
#
#   benchmarks/webhook-latency.sh                 # 5 warm-up pushes, then 50 measured
#   benchmarks/webhook-latency.sh --verbose       # one line per push, with its parts
#   SKIP_BUILD=1 benchmarks/webhook-latency.sh    # reuse the last build
#   MVN_ARGS=-o benchmarks/webhook-latency.sh     # build offline
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
# maxReqTime: the JDK HttpServer limit the webhook receiver asks for (it warns without it).
exec "$java_bin" -Xms512m -Xmx512m -Dsun.net.httpserver.maxReqTime=10 \
  -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.profileops.benchmarks.WebhookLatencyBenchmark --crds manifests/crds "$@"
