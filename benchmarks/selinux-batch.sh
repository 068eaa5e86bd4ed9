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

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
classpath_file=benchmarks/target/classpath.txt
if [[ -z "${SKIP_BUILD:-}" || ! -s "$classpath_file" ]]; then
  # shellcheck disable=SC2086 # MVN_ARGS is a list of words
  mvn -B -q ${MVN_ARGS:-} -DskipTests -pl benchmarks -am package \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime -DexcludeArtifactIds=profileops-cli
fi

java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi
exec "$java_bin" -cp "benchmarks/target/classes:$(cat "$classpath_file")" \
  dev.profileops.benchmarks.SelinuxBatchBenchmark "$@"
