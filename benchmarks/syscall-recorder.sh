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

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for tool in bpftrace strace; do
  if ! command -v "$tool" >/dev/null; then
    echo "installing $tool" >&2
    apt-get install -y -q "$tool" >&2
  fi
done
classpath_file=benchmarks/target/classpath.txt
# shellcheck disable=SC2086 # MVN_ARGS is a list of words
if [[ -z "${SKIP_BUILD:-}" || ! -s "$classpath_file" ]]; then
  # package, not install: the reactor's own jars go on the class path, ~/.m2 stays as it is.
  mvn -B -q ${MVN_ARGS:-} -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime -DexcludeArtifactIds=profileops-cli \
    -pl benchmarks -am
fi

java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi
exec "$java_bin" -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.profileops.benchmarks.SyscallRecorderBenchmark "$@"
