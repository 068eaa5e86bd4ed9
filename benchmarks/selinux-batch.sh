#!/usr/bin/env bash
# 20 SELinux profiles installed in one libsemanage transaction against 20 one-by-one installs
# (target: ratio >= 10x). semodule on scratch copies of this machine's policy store (Debian:
# selinux-policy-default); the host's own store is never changed. Builds the benchmark (mvn package,
# nothing is installed into ~/.m2), then runs dev.profileops.benchmarks.SelinuxBatchBenchmark;
# arguments go to it. A benchmark, not a test: nothing runs it during mvn verify.
#
#   benchmarks/selinux-batch.sh                          # 20 profiles, 2 runs
#   benchmarks/selinux-batch.sh --profiles 40 --repeat 1
#   SKIP_BUILD=1 benchmarks/selinux-batch.sh             # reuse the last build
#   MVN_ARGS=-o benchmarks/selinux-batch.sh              # build offline
set -euo pipefail

# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"
build_benchmarks
exec "$java_bin" -cp "$(benchmark_classpath)" \
  dev.profileops.benchmarks.SelinuxBatchBenchmark "$@"
