#!/usr/bin/env bash
# What the BPF syscall recorder costs a syscall storm in a runc container, next to a do-nothing BPF
# program (the floor), bpftrace and strace. Needs root, runc, busybox-static, clang/libbpf (the
# host module's build compiles the BPF program), bpftrace and strace. Prints medians and the ratio
# (recorder - plain) / (floor - plain). A benchmark, not a test: nothing runs it during mvn verify.
#
#   benchmarks/syscall-recorder.sh                    # 5 rounds of dd bs=1 count=2000000
#   benchmarks/syscall-recorder.sh --rounds 9
#   SKIP_BUILD=1 benchmarks/syscall-recorder.sh       # reuse the last build
#   MVN_ARGS=-o benchmarks/syscall-recorder.sh        # build offline
set -euo pipefail

# shellcheck source=benchmarks/lib.sh
. "$(dirname "$0")/lib.sh"
for tool in bpftrace strace; do
  if ! command -v "$tool" >/dev/null; then
    echo "installing $tool" >&2
    apt-get install -y -q "$tool" >&2
  fi
done
build_benchmarks
exec "$java_bin" -cp "$(benchmark_classpath)" \
  dev.profileops.benchmarks.SyscallRecorderBenchmark "$@"
