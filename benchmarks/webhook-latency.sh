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

# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"
build_benchmarks

# maxReqTime: the JDK HttpServer limit the webhook receiver asks for (it warns without it).
exec "$java_bin" -Xms512m -Xmx512m -Dsun.net.httpserver.maxReqTime=10 \
  -cp "$(benchmark_classpath)" \
  dev.profileops.benchmarks.WebhookLatencyBenchmark --crds manifests/crds "$@"
