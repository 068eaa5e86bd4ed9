#!/usr/bin/env bash
# Log enricher throughput on one core: lines/s parsed and enriched for a generated audit log of
# 2,000,000 lines with 1,000,000 distinct pids, against `ausearch -i --input` on the same file in the
# same run, and the ratio (target: >= 10x, >= 500k lines/s; memory bounded). Builds the benchmark
# (mvn package: nothing is installed into ~/.m2), then runs dev.profileops.benchmarks.LogEnricherBenchmark
# pinned to CPU 0 with taskset; arguments go to it (--lines, --pids, --runs, --ausearch PATH|none).
# ausearch comes from the auditd package: when it is not on PATH, the .debs are downloaded and unpacked
# under benchmarks/target/ausearch (not installed: no audit daemon is started, the kernel keeps
# printing audit records to its log for everyone else on the machine).
# A benchmark, not a test: nothing runs it during mvn verify.
#
#   benchmarks/log-enricher.sh
#   SKIP_BUILD=1 benchmarks/log-enricher.sh --lines 500000
#   MVN_ARGS=-o benchmarks/log-enricher.sh
set -euo pipefail

# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"
build_benchmarks

ausearch=$(command -v ausearch || true)
if [[ -z "$ausearch" ]]; then
  unpacked="$root/benchmarks/target/ausearch"
  if [[ ! -x "$unpacked/root/sbin/ausearch" ]]; then
    mkdir -p "$unpacked"
    (cd "$unpacked" && apt-get download auditd libauparse0 >/dev/null && for deb in ./*.deb; do dpkg -x "$deb" root; done)
  fi
  libdir=$(dirname "$(find "$unpacked/root" -name 'libauparse.so.0*' | head -1)")
  wrapper="$unpacked/ausearch"
  printf '#!/bin/sh\nLD_LIBRARY_PATH=%q exec %q "$@"\n' "$libdir" "$unpacked/root/sbin/ausearch" > "$wrapper"
  chmod +x "$wrapper"
  ausearch="$wrapper"
fi

exec taskset -c 0 "$java_bin" -XX:+UseSerialGC -Xms512m -Xmx512m \
  -cp "$(benchmark_classpath)" \
  dev.profileops.benchmarks.LogEnricherBenchmark --ausearch "$ausearch" "$@"
